// The content prefetch (core/project/content-prefetch.ts): a worker reads a cold parse's model files
// ahead of the main thread. What it hands over must be exactly what the main thread would have read
// (text and stat key); what it could not read, or has not reached, is left to the main thread.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adapterRegistry } from '../adapters/registry.js';
import { compile } from '../core/api/compile.js';
import { ContentPrefetch, MIN_FILES } from '../core/project/content-prefetch.js';
import { statKeyOf } from '../core/project/discover.js';
import { makeDag, settleTree, writeCairnProject } from '../bench/generate.js';
import { tempDir } from './helpers/project.js';

function files(n: number): { dir: string; paths: string[] } {
  const dir = tempDir('cairn-read-prefetch-');
  mkdirSync(join(dir, 'models/a'), { recursive: true });
  const paths: string[] = [];
  for (let i = 0; i < n; i++) {
    const path = `models/a/m_${String(i).padStart(4, '0')}.sql`;
    // Non-ASCII text, and one file larger than the worker's first read buffer (64 KB).
    const body = i === 7 ? `select '${'x'.repeat(100_000)}'` : `select ${i} as n, 'é ${'ü'.repeat(i % 5)}' as s`;
    writeFileSync(join(dir, path), body);
    paths.push(path);
  }
  return { dir, paths };
}

async function untilPosted(p: ContentPrefetch, batches: number): Promise<void> {
  for (let i = 0; i < 200 && p.batchesPosted() < batches; i++) await new Promise((r) => setTimeout(r, 50));
}

afterEach(() => {
  delete process.env.CAIRN_READ_PREFETCH;
});

describe('content prefetch', () => {
  it("hands over each file's text and stat key as the main thread reads them, once", async () => {
    const { dir, paths } = files(MIN_FILES + 100);
    const p = ContentPrefetch.start(dir, paths)!;
    expect(p).toBeDefined();
    await untilPosted(p, 2);
    expect(p.batchesPosted()).toBeGreaterThanOrEqual(2);
    let mine = 0;
    for (const path of paths) {
      const got = p.take(path);
      if (!got) {
        mine++; // a batch the worker had not claimed: read here
        continue;
      }
      expect(got[0], path).toBe(readFileSync(join(dir, path), 'utf8'));
      expect(got[1], path).toBe(statKeyOf(statSync(join(dir, path))));
      expect(p.take(path), 'given out once').toBeUndefined();
    }
    expect(p.fromWorker).toBe(paths.length - mine);
    expect(p.fromWorker).toBeGreaterThanOrEqual(128);
    expect(p.take('models/a/not-listed.sql')).toBeUndefined();
  });

  it('leaves a file it cannot read to the main thread, and is not started for small projects', async () => {
    const { dir, paths } = files(MIN_FILES);
    rmSync(join(dir, paths[3]!));
    const p = ContentPrefetch.start(dir, paths)!;
    await untilPosted(p, 1);
    expect(p.take(paths[3]!)).toBeUndefined();
    expect(p.take(paths[4]!)?.[0]).toBe(readFileSync(join(dir, paths[4]!), 'utf8'));
    expect(ContentPrefetch.start(dir, paths.slice(0, MIN_FILES - 1))).toBeUndefined();
    process.env.CAIRN_READ_PREFETCH = '0';
    expect(ContentPrefetch.start(dir, paths)).toBeUndefined();
  });

  it('a cold compile of a large project gives the same SQL and manifest with and without it', async () => {
    const dir = tempDir('cairn-read-prefetch-project-');
    writeCairnProject(dir, makeDag(MIN_FILES + 50));
    settleTree(dir);
    const run = async (prefetch: '0' | '1') => {
      rmSync(join(dir, 'target'), { recursive: true, force: true });
      process.env.CAIRN_READ_PREFETCH = prefetch;
      const r = await compile({ projectDir: dir, adapters: adapterRegistry });
      const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, unknown> };
      return { sql: [...r.compiled], nodes: manifest.nodes, prefetch: r.project.loaded.files.contents };
    };
    const withIt = await run('1');
    const without = await run('0');
    expect(withIt.prefetch).toBeDefined();
    expect(without.prefetch).toBeUndefined();
    expect(withIt.sql.length).toBeGreaterThan(MIN_FILES);
    expect(withIt.sql).toEqual(without.sql);
    expect(withIt.nodes).toEqual(without.nodes);
  });
});
