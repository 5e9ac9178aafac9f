// Table rebuilds on Dremio (issue 19 item 8) through the CLI against the Dremio emulator — a TEST
// DOUBLE whose Nessie catalogs keep branches as copies (branches.ts): on a versioned catalog the new
// table is built on a short-lived branch and merged (written once, never missing on main); elsewhere
// tmp-then-copy stays the default and `table_swap: drop_create` writes once with a short gap.
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './dremio-emulator/server.js';
import { cliAsync } from './helpers/cli-async.js';
import { makeProject, PROJECT } from './helpers/project.js';

let em: Emulator | undefined;
afterEach(async () => { await em?.close(); em = undefined; });

const base = (port: number) => `p:
  target: dev
  outputs:
    dev:
      type: dremio
      software_host: 127.0.0.1
      port: ${port}
      user: dremio
      password: dremio123
      threads: 1
`;
const nessie = (port: number) => `${base(port)}      catalog: nessie\n      folder: marts\n`;
const lake = (port: number) => `${base(port)}      object_storage_source: lake\n      object_storage_path: raw\n      dremio_space: analytics\n`;
const model = (cfg = '') => `{{ config(materialized='table'${cfg}) }}\nselect range as id from range({{ var('n') }}){% if var('broken', false) %} where no_such_col = 1{% endif %}`;
const count = async (path: string[]) => Number((await em!.db.query(`select count(*)::int as n from ${em!.db.name(path)}`))[0]!.n);

describe('Dremio table rebuilds (emulator)', () => {
  it('on a Nessie catalog: built on a short-lived branch, merged, the branch dropped; the data written once', async () => {
    em = await startEmulator({ catalogs: ['nessie'], jobPolls: 0 });
    const dir = makeProject({ 'dbt_project.yml': PROJECT('p', 'vars:\n  n: 3\n'), 'profiles.yml': nessie(em.port), 'models/t.sql': model() });
    expect((await cliAsync(['run'], { cwd: dir })).code).toBe(0);
    const before = em.jobs.list().length;
    const r = await cliAsync(['run', '--vars', '{n: 5}'], { cwd: dir });
    expect(r.stdout + r.stderr).toMatch(/PASS=1 WARN=0 ERROR=0/);
    const sqls = em.jobs.list().slice(before).map((j) => j.sql);
    const branch = /CREATE BRANCH IF NOT EXISTS "(cairn_swap_t_[0-9a-f]{8})" AT BRANCH "main" IN "nessie"/.exec(sqls.join('\n'))?.[1];
    expect(branch).toBeDefined();
    expect(sqls.some((s) => s.startsWith(`CREATE TABLE "nessie"."marts"."t" AT BRANCH "${branch}"`))).toBe(true);
    expect(sqls.some((s) => s.startsWith(`MERGE BRANCH "${branch}" INTO "main" IN "nessie"`))).toBe(true);
    // One write of the data: no tmp table, no copy back.
    expect(sqls.filter((s) => /^CREATE TABLE/.test(s)).length).toBe(1);
    expect(sqls.some((s) => s.includes('__cairn_tmp'))).toBe(false);
    expect(await count(['nessie', 'marts', 't'])).toBe(5);
    expect(em.catalog.roots().map((c) => c.path[0]!).filter((x) => x.startsWith('nessie@'))).toEqual([]);
  }, 90_000);

  it('on a Nessie catalog, a failing rebuild leaves main untouched and removes its branch', async () => {
    em = await startEmulator({ catalogs: ['nessie'], jobPolls: 0 });
    const dir = makeProject({ 'dbt_project.yml': PROJECT('p', 'vars:\n  n: 3\n'), 'profiles.yml': nessie(em.port), 'models/t.sql': model() });
    expect((await cliAsync(['run'], { cwd: dir })).code).toBe(0);
    const r = await cliAsync(['run', '--vars', '{n: 5, broken: true}'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(await count(['nessie', 'marts', 't'])).toBe(3);
    expect(em.catalog.roots().map((c) => c.path[0]!).filter((x) => x.startsWith('nessie@'))).toEqual([]);
  }, 90_000);

  it('elsewhere tmp-then-copy is the default; table_swap: drop_create drops and rebuilds in one write', async () => {
    em = await startEmulator({ sources: ['lake'], spaces: ['analytics'], jobPolls: 0 });
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p', 'vars:\n  n: 3\n'), 'profiles.yml': lake(em.port),
      'models/copied.sql': model(), 'models/dropped.sql': model(", table_swap='drop_create'"),
    });
    expect((await cliAsync(['run'], { cwd: dir })).code).toBe(0);
    const before = em.jobs.list().length;
    expect((await cliAsync(['run', '--vars', '{n: 5}'], { cwd: dir })).code).toBe(0);
    const sqls = em.jobs.list().slice(before).map((j) => j.sql);
    expect(sqls.filter((s) => /^CREATE TABLE "lake"\."raw"\."copied/.test(s)).length).toBe(2);
    const dropped = sqls.filter((s) => /"lake"\."raw"\."dropped/.test(s) && !/^SELECT/.test(s)).map((s) => s.split('\n')[0]);
    expect(dropped).toEqual(['DROP TABLE "lake"."raw"."dropped"', 'CREATE TABLE "lake"."raw"."dropped"']);
    expect(await count(['lake', 'raw', 'copied'])).toBe(5);
    expect(await count(['lake', 'raw', 'dropped'])).toBe(5);
  }, 90_000);

  it('an unknown table_swap is a clear error naming the choices', async () => {
    em = await startEmulator({ sources: ['lake'], spaces: ['analytics'], jobPolls: 0 });
    const dir = makeProject({ 'dbt_project.yml': PROJECT('p', 'vars:\n  n: 3\n'), 'profiles.yml': lake(em.port), 'models/t.sql': model(", table_swap='rename'") });
    const r = await cliAsync(['run'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/unknown table_swap `rename`/);
    expect(r.stdout + r.stderr).toMatch(/drop_create/);
  }, 90_000);
});
