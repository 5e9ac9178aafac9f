// `cairn build --wap` (write-audit-publish on a Nessie branch) through the CLI, against the Dremio
// emulator — a TEST DOUBLE (test/dremio-emulator) whose versioned catalogs keep each branch as a copy in
// DuckDB (branches.ts). Real DuckDB underneath: rows are read back from main and from the run branch.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './dremio-emulator/server.js';
import { cliAsync } from './helpers/cli-async.js';
import { cli, makeProject, PROFILE, PROJECT } from './helpers/project.js';

let em: Emulator | undefined;
afterEach(async () => { await em?.close(); em = undefined; });

const profile = (port: number) => `p:
  target: dev
  outputs:
    dev:
      type: dremio
      software_host: 127.0.0.1
      port: ${port}
      user: dremio
      password: "{{ env_var('DREMIO_PASSWORD') }}"
      catalog: nessie
      folder: marts
      threads: 2
`;
const env = { DREMIO_PASSWORD: 'dremio123' };

const files = (port: number) => ({
  'dbt_project.yml': PROJECT('p'),
  'profiles.yml': profile(port),
  'seeds/raw_orders.csv': 'id,amount\n1,10\n2,20\n',
  'models/orders.sql': "{{ config(materialized='table') }}\nselect id, amount from {{ ref('raw_orders') }}",
  'models/orders_v.sql': "{{ config(materialized='view') }}\nselect id, amount * 2 as doubled from {{ ref('orders') }}",
  'models/schema.yml': `version: 2
models:
  - name: orders_v
    columns:
      - name: doubled
        data_tests: [not_null]
`,
});

const mainRows = (e: Emulator, name: string) => e.db.query(`select * from ${e.db.name(['nessie', 'marts', name])} order by id`);
const branchRoots = (e: Emulator) => e.catalog.roots().map((c) => c.path[0]!).filter((r) => r.startsWith('nessie@'));
const wapBranch = (dir: string): string => JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8')).args.wap_branch;

describe('cairn build --wap on a Nessie catalog (emulator test double)', () => {
  it('a passing build is built on a run branch, merged into main, and the run branch dropped', async () => {
    em = await startEmulator({ catalogs: ['nessie'], jobPolls: 0 });
    const dir = makeProject(files(em.port));
    const r = await cliAsync(['build', '--wap'], { cwd: dir, env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PASS=4 WARN=0 ERROR=0/);
    const branch = wapBranch(dir);
    expect(branch).toMatch(/^cairn_run_[0-9a-f_]{36}$/);
    expect(r.stdout).toContain(`merged ${branch} into main`);
    // main has the new data, and its view reads main (not the dropped run branch).
    expect(await mainRows(em, 'orders')).toEqual([{ id: 1, amount: 10 }, { id: 2, amount: 20 }]);
    expect(await mainRows(em, 'orders_v')).toEqual([{ id: 1, doubled: 20 }, { id: 2, doubled: 40 }]);
    expect(branchRoots(em)).toEqual([]);
    // Branch DDL in order; every build statement went to the run branch through `references`.
    const sqls = em.jobs.list().map((j) => j.sql);
    const create = sqls.indexOf(`CREATE BRANCH IF NOT EXISTS "${branch}" AT BRANCH "main" IN "nessie"`);
    const merge = sqls.indexOf(`MERGE BRANCH "${branch}" INTO "main" IN "nessie"`);
    const drop = sqls.indexOf(`DROP BRANCH "${branch}" FORCE IN "nessie"`);
    expect(create).toBeGreaterThanOrEqual(0);
    expect(merge).toBeGreaterThan(create);
    expect(drop).toBeGreaterThan(merge);
    const built = em.jobs.list().slice(create + 1, merge);
    expect(built.length).toBeGreaterThan(4);
    for (const j of built) expect(j.references).toEqual({ nessie: { type: 'BRANCH', value: branch } });
    // The view was pinned to the run branch while it was audited, then re-created on main.
    expect(built.some((j) => /^CREATE OR REPLACE VIEW .* AT BRANCH "cairn_run_/s.test(j.sql))).toBe(true);
    const after = em.jobs.list().slice(merge + 1, drop);
    expect(after.map((j) => j.sql.split('\n')[0])).toEqual(['CREATE OR REPLACE VIEW "nessie"."marts"."orders_v" AS']);
    expect(after[0]!.references).toBeUndefined();
  }, 120_000);

  it('a failing data test leaves main unchanged and keeps the run branch, with the new data, named in the output', async () => {
    em = await startEmulator({ catalogs: ['nessie'], jobPolls: 0 });
    const dir = makeProject(files(em.port));
    expect((await cliAsync(['build', '--wap'], { cwd: dir, env })).code).toBe(0);
    const ledger = () => readFileSync(join(dir, 'target/build_ledger.json'), 'utf8');
    const merged = ledger();
    expect(Object.keys(JSON.parse(merged).targets.dev)).toContain('model.p.orders_v');
    writeFileSync(join(dir, 'seeds/raw_orders.csv'), 'id,amount\n1,11\n2,22\n3,\n');
    const r = await cliAsync(['build', '--wap'], { cwd: dir, env });
    expect(r.code).toBe(1);
    // Nothing reached main, so the build ledger still describes main: the run recorded nothing.
    expect(ledger()).toBe(merged);
    expect(r.stdout).toMatch(/FAIL 1/);
    const branch = wapBranch(dir);
    expect(r.stdout).toContain(`nothing was merged into main; branch ${branch} is kept for inspection`);
    expect(em.jobs.find(/^MERGE BRANCH "cairn_run_[^"]*" INTO "main"/).length).toBe(1); // only the first build's (a table swap merges into the run branch)
    // main: the old rows, its view still reading main.
    expect(await mainRows(em, 'orders')).toEqual([{ id: 1, amount: 10 }, { id: 2, amount: 20 }]);
    expect(await mainRows(em, 'orders_v')).toEqual([{ id: 1, doubled: 20 }, { id: 2, doubled: 40 }]);
    // The run branch is there, with the new data, for inspection through Dremio SQL.
    expect(branchRoots(em)).toEqual([`nessie@${branch}`]);
    expect(await em.db.query(`select * from ${em.db.name([`nessie@${branch}`, 'marts', 'orders'])} order by id`))
      .toEqual([{ id: 1, amount: 11 }, { id: 2, amount: 22 }, { id: 3, amount: null }]);
  }, 120_000);

  it('--wap on an engine without branches is a usage error (exit 2) before anything runs', () => {
    const dir = makeProject({ 'dbt_project.yml': PROJECT('p'), 'profiles.yml': PROFILE('p'), 'models/m.sql': 'select 1 as id' });
    const r = cli(['build', '--wap'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--wap needs a target whose engine has branches; target `dev` \(duckdb\) has none/);
    expect(r.stderr).toMatch(/hint: .*Dremio targets with a versioned \(Nessie\) `catalog:`/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(cli(['run', '--wap'], { cwd: dir }).stderr).toMatch(/unknown option '--wap'/);
  });

  it('--wap on a Dremio target without a versioned catalog says to set `catalog:`', async () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'), 'models/m.sql': 'select 1 as id',
      'profiles.yml': profile(9).replace('catalog: nessie\n      folder: marts', 'object_storage_source: lake\n      dremio_space: analytics'),
    });
    const r = await cliAsync(['build', '--wap'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/target `dev` \(dremio\) has none\n\s+hint: set `catalog:` \(a versioned Nessie \/ Arctic catalog\)/);
  });
});
