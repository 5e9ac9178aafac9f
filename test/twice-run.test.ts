// Every command twice, on a project with every resource kind whose files are older than the caches'
// "too fresh to trust a stat" window, once with the partial-parse cache and parse snapshot and once
// without (CAIRN_NO_PARTIAL_PARSE=1). A cache may only make things faster: each invocation must give
// exactly what the uncached one gives. (Before the fix, the second `seed` of any project failed with
// "seed s was not parsed": seed rows were not restored when the parse came from the cache.)
// The parse snapshot is not written for projects with snapshots or tasks, so the project is also run
// without them: that variant takes the snapshot path, the full one the per-file cache only.
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, repoRoot, tempDir } from './helpers/project.js';

const FIXTURE = join(repoRoot, 'test/fixtures/every-kind');
const PAST = new Date('2020-01-02T03:04:05Z');

const COMMANDS: string[][] = [
  ['seed'], ['run'], ['test'], ['snapshot'], ['build'], ['compile'], ['ls'], ['ls', '--resource-type', 'seed'],
  ['show', '--select', 'customers'], ['source', 'freshness'], ['run-operation', 'say_hello'], ['docs', 'generate'],
  ['lineage', 'customers.cents'], ['build', '--select', 'raw_orders+'], ['seed', '--full-refresh'], ['retry'],
];

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function ageTree(dir: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) ageTree(p);
    utimesSync(p, PAST, PAST);
  }
}

/** What an invocation said, without what legitimately differs between runs: clock times, durations, the temp folder. */
function normalize(text: string, dir: string): string {
  return text
    .split(dir).join('<dir>')
    .replace(/\b\d\d:\d\d:\d\d\b/g, '<time>')
    .replace(/\((\d+[dhms] ?)+ old\)/g, '(<age> old)')
    .replace(/ in \d+(\.\d+)?s/g, ' in <t>s')
    .replace(/\[(\w+)( \d+)? in <t>s\]/g, '[$1$2]')
    .replace(/\.{2,}/g, '..');
}

function compiledTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[p.slice(dir.length)] = readFileSync(p, 'utf8');
    }
  };
  walk(join(dir, 'target/compiled'));
  return out;
}

function session(cached: boolean, without: string[]): { said: string[]; compiled: Record<string, string>; snapshotUsed: boolean } {
  const dir = tempDir('cairn-twice-');
  dirs.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  for (const w of without) rmSync(join(dir, w), { recursive: true });
  ageTree(dir);
  const env = { CAIRN_NO_PARTIAL_PARSE: cached ? undefined : '1' };
  const said: string[] = [];
  let snapshotUsed = false;
  for (const args of COMMANDS) {
    if (without.length && args[0] === 'snapshot') continue;
    for (const round of [1, 2]) {
      const r = cli(args, { cwd: dir, env });
      snapshotUsed ||= existsSync(join(dir, 'target/partial_parse_graph.cairn'));
      said.push(`$ cairn ${args.join(' ')} (#${round}) exit ${r.code}\n${normalize(r.stdout + r.stderr, dir)}`);
    }
  }
  return { said, compiled: compiledTree(dir), snapshotUsed };
}

for (const [label, without] of [['every resource kind', []], ['no snapshots or tasks (parse snapshot path)', ['snapshots', 'tasks']]] as const) {
describe(`every command twice, cached and uncached: ${label}`, () => {
  const cached = session(true, [...without]);
  const uncached = session(false, [...without]);

    it('every invocation succeeds both times, on both paths', () => {
    for (const s of [...cached.said, ...uncached.said]) expect(s.split('\n')[0]).toMatch(/exit 0$/);
  });

    it('the cached path says exactly what the uncached path says, command by command', () => {
    expect(cached.said.length).toBeGreaterThanOrEqual((COMMANDS.length - 1) * 2);
    expect(cached.snapshotUsed).toBe(without.length > 0);
    for (let i = 0; i < cached.said.length; i++) expect(cached.said[i]).toBe(uncached.said[i]);
  });

    it('the seeds loaded every row on the second invocation too, and compiled SQL is the same', () => {
    const seedRuns = cached.said.filter((s) => s.startsWith('$ cairn seed (#'));
    expect(seedRuns).toHaveLength(2);
    for (const s of seedRuns) {
      expect(s).toMatch(/OK created seed file main\.raw_orders \.+ \[OK 3\]/);
      expect(s).toMatch(/PASS=2 WARN=0 ERROR=0/);
    }
    expect(Object.keys(cached.compiled).length).toBeGreaterThan(5);
    expect(cached.compiled).toEqual(uncached.compiled);
    expect(statSync(join(FIXTURE, 'seeds/raw_orders.csv')).isFile()).toBe(true);
  });
});
}
