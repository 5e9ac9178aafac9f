// The stat prefetch (core/project/stat-prefetch.ts): a `find` child process stats a large project's
// files for the partial-parse cache. Its keys must be exactly the ones discover.ts builds from
// statSync, or the cache would see every file as changed (slow) or, worse, miss a change; when find
// is not GNU find or not there at all, cairn stats the files itself.
import { appendFileSync, chmodSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adapterRegistry } from '../adapters/registry.js';
import { compile } from '../core/api/compile.js';
import { FileFinder, statKeyOf } from '../core/project/discover.js';
import { StatPrefetch, statKeyFromFind } from '../core/project/stat-prefetch.js';
import { makeDag, settleTree, writeCairnProject } from '../bench/generate.js';
import { cli, tempDir } from './helpers/project.js';

function tree(): string {
  const dir = tempDir('cairn-prefetch-');
  writeFileSync(join(dir, 'dbt_project.yml'), 'name: p\n');
  mkdirSync(join(dir, 'models/a/b'), { recursive: true });
  mkdirSync(join(dir, 'models/.hidden'), { recursive: true });
  mkdirSync(join(dir, 'elsewhere'), { recursive: true });
  mkdirSync(join(dir, 'macros'), { recursive: true });
  writeFileSync(join(dir, 'models/a/one.sql'), 'select 1');
  writeFileSync(join(dir, 'models/a/b/two.sql'), 'select 2');
  writeFileSync(join(dir, 'models/a/sp ace é.sql'), 'select 3');
  // Named like the line find prints last: must not end the walk early.
  writeFileSync(join(dir, 'models/a/x dbt_project.yml'), 'version: 2\n');
  writeFileSync(join(dir, 'models/.hidden/no.sql'), 'select 4');
  writeFileSync(join(dir, 'elsewhere/linked.sql'), 'select 5');
  symlinkSync(join(dir, 'elsewhere/linked.sql'), join(dir, 'models/a/link.sql'));
  symlinkSync(join(dir, 'elsewhere'), join(dir, 'models/linked_dir'));
  symlinkSync(join(dir, 'nowhere.sql'), join(dir, 'models/dangling.sql'));
  writeFileSync(join(dir, 'macros/m.sql'), '{% macro m() %}1{% endmacro %}');
  return dir;
}

afterEach(() => {
  delete process.env.CAIRN_STAT_PREFETCH;
});

describe('stat prefetch', () => {
  it('reports, for every file the walk finds, the key statSync gives', () => {
    const dir = tree();
    const p = StatPrefetch.start(dir, ['models', 'macros', 'seeds']);
    expect(p).toBeDefined();
    const files = new FileFinder(dir).find(['models', 'macros'], ['']);
    expect(files.map((f) => f.path)).toContain('models/linked_dir/linked.sql');
    expect(files.map((f) => f.path)).not.toContain('models/.hidden/no.sql');
    for (const f of files) expect(p!.get(f.path), f.path).toBe(statKeyOf(statSync(join(dir, f.path))));
    expect(p!.get('models/.hidden/no.sql')).toBeUndefined();
    expect(p!.get('models/dangling.sql')).toBeUndefined();
  });

  it('converts find times to the milliseconds Node computes, and refuses anything else', () => {
    expect(statKeyFromFind('512:2155065:1796171073.4070870540:1796171013.3740000000')).toBe('512:2155065:1796171073407.0872:1796171013374');
    const file = join(tree(), 'models/a/one.sql');
    const st = statSync(file, { bigint: true });
    const secs = (ns: bigint) => `${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, '0')}0`;
    expect(statKeyFromFind(`${st.size}:${st.ino}:${secs(st.ctimeNs)}:${secs(st.mtimeNs)}`)).toBe(statKeyOf(statSync(file)));
    for (const bad of ['1:2:3', '1:2:a.5:3', '1:2:-1.5:3.0', '1:2:1e3.5:3.1', ':2:3.1:4.1']) expect(statKeyFromFind(bad), bad).toBeUndefined();
  });

  it('gives up quickly when find is not GNU find, or not there', () => {
    const dir = tree();
    const bin = tempDir('cairn-fake-find-');
    writeFileSync(join(bin, 'find'), '#!/bin/sh\necho "find: unknown primary or operator" >&2\nexit 1\n');
    chmodSync(join(bin, 'find'), 0o755);
    const path = process.env.PATH;
    try {
      process.env.PATH = bin;
      const started = Date.now();
      const p = StatPrefetch.start(dir, ['models']);
      expect(p?.get('models/a/one.sql')).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(3_000);
      process.env.PATH = join(bin, 'none');
      expect(StatPrefetch.start(dir, ['models'])?.get('models/a/one.sql')).toBeUndefined();
    } finally {
      process.env.PATH = path;
    }
  });

  it('serves the partial-parse cache: an edit is seen, the rest is reused, the output equals a cold compile', async () => {
    const dir = tempDir('cairn-prefetch-project-');
    writeCairnProject(dir, makeDag(40, 3));
    settleTree(dir);
    process.env.CAIRN_STAT_PREFETCH = '1';
    expect(cli(['compile'], { cwd: dir }).code).toBe(0);
    const edited = join(dir, 'models', readdirSync(join(dir, 'models'), { recursive: true }).map(String).find((f) => f.endsWith('/m_00010.sql'))!);
    appendFileSync(edited, '\n-- edited\n');
    const warm = await compile({ projectDir: dir, select: ['m_00010'], adapters: adapterRegistry });
    expect(warm.project.reused?.changed).toEqual(new Set(['model.bench.m_00010']));
    expect(warm.compiled.get('model.bench.m_00010')).toContain('-- edited');
    // The keys came from find (and were the ones recorded, or nothing would have been reused).
    const prefetch = warm.project.loaded.files.stats as unknown as { stats?: Map<string, string> } | undefined;
    expect(prefetch?.stats?.size).toBeGreaterThan(40);
    const fresh = cli(['compile', '--select', 'm_00010'], { cwd: dir, env: { CAIRN_NO_PARTIAL_PARSE: '1', CAIRN_STAT_PREFETCH: '0' } });
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(readFileSync(edited.replace(join(dir, 'models'), join(dir, 'target/compiled/bench/models')), 'utf8')).toBe(warm.compiled.get('model.bench.m_00010'));
  });
});
