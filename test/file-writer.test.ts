// FileWriter: the write worker and the main thread share the batches (each claimed by one side);
// every file must land exactly once with its content, unchanged files are left alone, and a write
// failure is a CairnError.
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileWriter } from '../core/artifacts/file-writer.js';
import { tempDir } from './helpers/project.js';

const files = (dir: string, n: number, tag: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => [join(dir, `d${i % 20}`, i % 3 ? '' : 'schema.yml', `f${i}.sql`), `select ${i} -- ${tag(i)}`] as const);

describe('FileWriter', () => {
  it('writes every file once, with its content, and leaves unchanged files alone', async () => {
    const dir = join(tempDir('cairn-writer-'), 'compiled');
    const first = files(dir, 5000, () => 'a');
    // Under a folder that does not exist yet (nothing to compare), then again once it does.
    let w = new FileWriter(first.length, dir);
    for (const [p, c] of first) w.write(p, c);
    await w.close();
    for (const [p, c] of first) expect(readFileSync(p, 'utf8')).toBe(c);

    const old = new Date('2001-01-01T00:00:00Z');
    for (const [p] of first) utimesSync(p, old, old);
    const second = files(dir, 5000, (i) => (i % 2 ? 'b' : 'a'));
    w = new FileWriter(second.length, dir);
    for (const [p, c] of second) w.write(p, c);
    await w.close();
    for (const [i, [p, c]] of second.entries()) {
      expect(readFileSync(p, 'utf8')).toBe(c);
      expect(statSync(p).mtime.getTime() === old.getTime(), `f${i} rewritten only if changed`).toBe(i % 2 === 0);
    }
  });

  it('reports a file it cannot write as a CairnError', async () => {
    const dir = tempDir('cairn-writer-');
    writeFileSync(join(dir, 'blocked'), 'a file where a folder should be');
    const w = new FileWriter(1000);
    for (let i = 0; i < 1000; i++) w.write(join(dir, i === 700 ? 'blocked/x.sql' : `ok/f${i}.sql`), 'select 1');
    await expect(w.close()).rejects.toMatchObject({ code: 'PROJECT_INVALID', message: expect.stringMatching(/cannot write compiled SQL/) });
  });
});
