// The manifest is streamed to disk node by node (core/artifacts/manifest.ts); what lands on disk
// must be exactly the JSON of the manifest object, for every section.
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapterRegistry } from '../adapters/registry.js';
import { ChunkedFile } from '../core/artifacts/chunked-file.js';
import { buildManifest, writeManifest } from '../core/artifacts/manifest.js';
import { parseProject } from '../core/compile/parse-project.js';
import { repoRoot, tempDir } from './helpers/project.js';

describe('streamed manifest', () => {
  it('writes byte for byte the JSON of buildManifest', () => {
    const dir = tempDir('cairn-manifest-');
    cpSync(join(repoRoot, 'test/fixtures/jaffle'), dir, { recursive: true });
    // Sources and unit tests too, so every streamed section has entries.
    writeFileSync(join(dir, 'models/from_source.sql'), "select id from {{ source('raw', 'events') }}\n");
    writeFileSync(join(dir, 'models/extra.yml'), [
      'version: 2',
      'sources:',
      '  - name: raw',
      '    tables: [{name: events}]',
      'unit_tests:',
      '  - name: keeps_ids',
      '    model: from_source',
      '    given: [{input: "source(\'raw\', \'events\')", rows: [{id: 1}]}]',
      '    expect: {rows: [{id: 1}]}',
      '',
    ].join('\n'));
    const p = parseProject({ projectDir: dir }, adapterRegistry);
    const generatedAt = new Date('2024-01-02T03:04:05Z');
    const compiled = new Map([['model.jaffle_shop.customers', 'select 1 as "ünïcode"']]);
    const file = join(dir, 'target/manifest.json');
    writeManifest(file, p, { compiled, generatedAt });
    const text = readFileSync(file, 'utf8');
    expect(text).toBe(JSON.stringify(buildManifest(p, { compiled, generatedAt })));
    const m = JSON.parse(text);
    // Every section is there, with the fixture's sources, tests and seeds.
    expect(Object.keys(m.sources).length).toBeGreaterThan(0);
    expect(Object.keys(m.nodes).some((k) => k.startsWith('test.'))).toBe(true);
    expect(Object.keys(m.unit_tests)).toHaveLength(1);
    expect(m.child_map['source.jaffle_shop.raw.events']).toEqual(['model.jaffle_shop.from_source']);
    expect(m.nodes['model.jaffle_shop.customers'].compiled_code).toBe('select 1 as "ünïcode"');
    expect(readdirSync(join(dir, 'target')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes in chunks and leaves no file behind when discarded', () => {
    const dir = tempDir('cairn-chunks-');
    const f = new ChunkedFile(join(dir, 'out.json'), { chunk: 8 });
    // Pieces that go through the buffer (some multi-byte) and one larger than it, written on its own.
    const parts = ['{"a":', '"0123456789"', ',"b":[1,2,3]', ',"', 'é', '€', '𝄞', '":', '"x"', '}'];
    for (const x of parts) f.write(x);
    f.commit();
    expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe(parts.join(''));
    const g = new ChunkedFile(join(dir, 'gone.json'), { chunk: 8 });
    g.write('0123456789');
    g.discard();
    expect(existsSync(join(dir, 'gone.json'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['out.json']);
  });
});
