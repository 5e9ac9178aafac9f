// `build_ledger: {store: engine}` on Dremio, against the Dremio emulator — a TEST DOUBLE
// (test/dremio-emulator) that runs SQL on DuckDB. The ledger is an Iceberg table where the target puts
// tables (object_storage_source.object_storage_path.cairn_build_ledger), so a fresh checkout (target/
// gone) still reuses what was built. On `--wap` it is written after the merge, on the base branch.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adapterRegistry } from '../adapters/registry.js';
import { build } from '../core/api/index.js';
import { startEmulator, type Emulator } from './dremio-emulator/server.js';
import { makeProject, PROJECT } from './helpers/project.js';

let em: Emulator | undefined;
afterEach(async () => { await em?.close(); em = undefined; });

const LEDGER = /cairn_build_ledger/;
const ALL = ['doubled', 'doubled_v', 'prices', 'regional', 'regions', 'report'];

const profile = (port: number, where: string) => `p:
  target: dev
  outputs:
    dev:
      type: dremio
      software_host: 127.0.0.1
      port: ${port}
      user: dremio
      password: dremio123
${where}      threads: 2
`;
const LAKE = '      object_storage_source: lake\n      object_storage_path: marts\n      dremio_space: analytics\n';
const NESSIE = '      catalog: nessie\n      folder: marts\n';

function project(port: number, setting = 'build_ledger: {store: engine}\n', where = LAKE): string {
  return makeProject({
    'dbt_project.yml': PROJECT('p', `${setting}models:\n  p:\n    +materialized: table\n`),
    'profiles.yml': profile(port, where),
    'seeds/prices.csv': 'sku,price\na,1\nb,2\n',
    'seeds/regions.csv': 'region\neu\nus\n',
    'models/doubled.sql': "select sku, price * 2 as d from {{ ref('prices') }}",
    'models/doubled_v.sql': "{{ config(materialized='view') }}\nselect * from {{ ref('doubled') }}",
    'models/report.sql': "select count(*) as n from {{ ref('doubled_v') }}",
    'models/regional.sql': "select region from {{ ref('regions') }}",
  });
}

/** Jobs other than catalog and metadata queries: what building nodes costs the engine. */
const isMeta = (s: string) => /INFORMATION_SCHEMA|table_snapshot|\bsys\./i.test(s);

async function counted(dir: string, opts: { changedOnly?: boolean; wap?: boolean } = {}) {
  const before = em!.jobs.list().length;
  const warnings: string[] = [];
  const r = await build({ projectDir: dir, profilesDir: dir, adapters: adapterRegistry, changedOnly: opts.changedOnly ?? true, wap: opts.wap, onEvent: (e) => e.type === 'warning' && warnings.push(e.message) });
  const jobs = em!.jobs.list().slice(before);
  const name = (id: string) => r.project.nodes.get(id)!.name;
  return {
    r, warnings, jobs,
    modelJobs: jobs.map((j) => j.sql).filter((s) => !isMeta(s) && !LEDGER.test(s)),
    ledgerJobs: jobs.map((j) => j.sql).filter((s) => LEDGER.test(s)),
    built: r.results.filter((x) => !x.reused && x.status === 'success').map((x) => name(x.uniqueId)).sort(),
  };
}

const freshCheckout = (dir: string) => rmSync(join(dir, 'target'), { recursive: true, force: true });

describe('build_ledger: {store: engine} on Dremio (emulator test double)', () => {
  it('a fresh checkout reuses everything: zero model statements, one SELECT of the ledger table; a changed seed rebuilds exactly its chain', async () => {
    em = await startEmulator({ sources: ['lake'], spaces: ['analytics'], jobPolls: 0 });
    const dir = project(em.port);
    const first = await counted(dir);
    expect(first.r.success).toBe(true);
    expect(first.built).toEqual(ALL);
    // The first save creates the Iceberg table and inserts every entry in one statement.
    expect(first.ledgerJobs.filter((s) => !/^SELECT/i.test(s)).map((s) => s.split(' (')[0])).toEqual([
      'CREATE TABLE IF NOT EXISTS "lake"."marts"."cairn_build_ledger"', 'INSERT INTO "lake"."marts"."cairn_build_ledger"',
    ]);
    expect(em.catalog.dataset(['lake', 'marts', 'cairn_build_ledger'])).toBeTruthy();

    freshCheckout(dir);
    const again = await counted(dir);
    expect(again.r.success).toBe(true);
    expect(again.warnings).toEqual([]);
    expect(again.modelJobs).toEqual([]);
    expect(again.built).toEqual([]);
    expect(again.ledgerJobs).toEqual([`SELECT "node_id", "entry" FROM "lake"."marts"."cairn_build_ledger" WHERE "target_name" = 'dev'`]);

    freshCheckout(dir);
    writeFileSync(join(dir, 'seeds/prices.csv'), 'sku,price\na,1\nb,2\nc,3\n');
    const seeded = await counted(dir);
    expect(seeded.built).toEqual(['doubled', 'prices', 'report']);
    expect(seeded.ledgerJobs.slice(1).map((s) => s.split(' WHERE')[0].split(' (')[0])).toEqual(['DELETE FROM "lake"."marts"."cairn_build_ledger"', 'INSERT INTO "lake"."marts"."cairn_build_ledger"']);
    expect(await em.db.query(`select n::int as n from ${em.db.name(['lake', 'marts', 'report'])}`)).toEqual([{ n: 3 }]);
    freshCheckout(dir);
    expect((await counted(dir)).modelJobs).toEqual([]);
  });

  it('without the setting a fresh checkout rebuilds everything, and no ledger table is made', async () => {
    em = await startEmulator({ sources: ['lake'], spaces: ['analytics'], jobPolls: 0 });
    const dir = project(em.port, '');
    await counted(dir);
    expect((await counted(dir)).modelJobs).toEqual([]);
    freshCheckout(dir);
    const again = await counted(dir);
    expect(again.built).toEqual(ALL);
    expect(em.jobs.list().some((j) => LEDGER.test(j.sql))).toBe(false);
  });

  it('Dremio refusing the ledger table warns once with its message; the run succeeds on the local file', async () => {
    em = await startEmulator({ sources: ['lake'], spaces: ['analytics'], jobPolls: 0 });
    const dir = project(em.port);
    em.faults.failJobs({ match: LEDGER, times: 1, message: "PERMISSION ERROR: User 'dremio' is not allowed to write to lake.marts" });
    const first = await counted(dir);
    expect(first.r.success).toBe(true);
    expect(first.built).toEqual(ALL);
    expect(first.warnings).toEqual([
      expect.stringMatching(/^build_ledger: could not write the build ledger table lake\.marts\.cairn_build_ledger \(Dremio job [0-9a-f-]+ FAILED: PERMISSION ERROR: User 'dremio' is not allowed to write to lake\.marts\); target\/build_ledger\.json has this run's builds, the table may not$/),
    ]);
    // The local file still works; this run finds the table missing and writes what the file knows.
    const second = await counted(dir);
    expect(second.r.success).toBe(true);
    expect(second.warnings).toEqual([]);
    expect(second.modelJobs).toEqual([]);
    expect(second.ledgerJobs.map((s) => s.split(' (')[0])).toEqual(['CREATE TABLE IF NOT EXISTS "lake"."marts"."cairn_build_ledger"', 'INSERT INTO "lake"."marts"."cairn_build_ledger"']);
    // A read that fails on a fresh checkout: one warning (the write after it fails too, unsaid), all rebuilt, success.
    freshCheckout(dir);
    em.faults.failJobs({ match: LEDGER, times: 5, message: 'RESOURCE ERROR: Query was cancelled because it exceeded the memory limits' });
    const third = await counted(dir);
    expect(third.r.success).toBe(true);
    expect(third.built).toEqual(ALL);
    expect(third.warnings).toEqual([expect.stringMatching(/^build_ledger: could not read the build ledger table lake\.marts\.cairn_build_ledger \(.*RESOURCE ERROR: Query was cancelled.*\); this run uses target\/build_ledger\.json only$/)]);
  });

  it('--wap: read on the run branch, written after the merge on main; a fresh checkout then reuses', async () => {
    em = await startEmulator({ catalogs: ['nessie'], jobPolls: 0 });
    const dir = project(em.port, 'build_ledger: {store: engine}\n', NESSIE);
    const first = await counted(dir, { wap: true });
    expect(first.r.success).toBe(true);
    const sqls = first.jobs.map((j) => j.sql);
    const merge = sqls.findIndex((s) => /^MERGE BRANCH/.test(s));
    const insert = sqls.findIndex((s) => /^INSERT INTO "nessie"."marts"."cairn_build_ledger"/.test(s));
    expect(merge).toBeGreaterThan(0);
    expect(insert).toBeGreaterThan(merge);
    expect(first.jobs[insert]!.references).toBeUndefined(); // the base branch, not the dropped run branch
    expect(em.catalog.dataset(['nessie', 'marts', 'cairn_build_ledger'])).toBeTruthy();

    freshCheckout(dir);
    const again = await counted(dir, { wap: true });
    expect(again.r.success).toBe(true);
    expect(again.built).toEqual([]);
    expect(again.modelJobs.filter((s) => !/BRANCH/.test(s))).toEqual([]);
  });
});
