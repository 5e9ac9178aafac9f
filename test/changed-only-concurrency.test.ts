// Two cairn processes at once never corrupt the build ledger: on one target the run lock queues the
// second (--wait), which then reuses what the first built; on two targets of one project (each with
// its own run lock, one shared ledger file) both targets' entries survive.
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliAsync } from './helpers/cli-async.js';
import { makeProject, PROJECT } from './helpers/project.js';

const PROFILES = `cc:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: dev.duckdb
      schema: main
      threads: 2
    prod:
      type: duckdb
      path: prod.duckdb
      schema: main
      threads: 2
`;

function project(): string {
  const files: Record<string, string> = {
    'dbt_project.yml': PROJECT('cc', 'models:\n  cc:\n    +materialized: table\n'),
    'profiles.yml': PROFILES,
    'seeds/base.csv': 'id\n1\n2\n',
  };
  // Enough nodes that the two runs overlap and each ledger is more than a few bytes.
  for (let i = 0; i < 30; i++) files[`models/m${i}.sql`] = `select id, ${i} as k from {{ ref('${i === 0 ? 'base' : `m${i - 1}`}') }}`;
  return makeProject(files);
}

const ids = [...Array.from({ length: 30 }, (_x, i) => `model.cc.m${i}`), 'seed.cc.base'].sort();
const ledgerOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'target/build_ledger.json'), 'utf8')) as { targets: Record<string, Record<string, { version: string }>> };

describe('build ledger under concurrent runs', () => {
  it('two processes on two targets at once: the ledger is whole JSON with both targets complete', async () => {
    const dir = project();
    const [dev, prod] = await Promise.all([
      cliAsync(['build', '--changed-only'], { cwd: dir }),
      cliAsync(['build', '--changed-only', '--target', 'prod'], { cwd: dir }),
    ]);
    expect([dev.code, prod.code, dev.stderr, prod.stderr]).toEqual([0, 0, '', '']);
    const l = ledgerOf(dir);
    expect(Object.keys(l.targets).sort()).toEqual(['dev', 'prod']);
    expect(Object.keys(l.targets.dev!).sort()).toEqual(ids);
    expect(Object.keys(l.targets.prod!).sort()).toEqual(ids);
    expect(existsSync(join(dir, 'target/build_ledger.json.lock'))).toBe(false);
    // Each target's second run reuses everything its first built.
    const again = await cliAsync(['build', '--changed-only', '--target', 'prod'], { cwd: dir });
    expect((again.stdout.match(/\[REUSED\]/g) ?? []).length).toBe(31);
  }, 120_000);

  it('two processes on one target (--wait): the second queues behind the first and reuses all it built', async () => {
    const dir = project();
    const runs = await Promise.all([1, 2].map(() => cliAsync(['build', '--changed-only', '--wait'], { cwd: dir })));
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const reusedAll = runs.filter((r) => (r.stdout.match(/\[REUSED\]/g) ?? []).length === 31);
    expect(reusedAll).toHaveLength(1);
    expect(Object.keys(ledgerOf(dir).targets.dev!).sort()).toEqual(ids);
  }, 120_000);

  it('a ledger lock left by a process that died while saving is taken over', async () => {
    const dir = project();
    mkdirSync(join(dir, 'target'));
    writeFileSync(join(dir, 'target/build_ledger.json.lock'), '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(dir, 'target/build_ledger.json.lock'), old, old);
    const r = await cliAsync(['build', '--changed-only'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(Object.keys(ledgerOf(dir).targets.dev!).sort()).toEqual(ids);
    expect(existsSync(join(dir, 'target/build_ledger.json.lock'))).toBe(false);
  }, 120_000);
});
