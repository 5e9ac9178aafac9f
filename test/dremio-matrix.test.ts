// The Dremio matrix (issue 19, "Done means"): one project with every materialization, incremental
// strategy, snapshot strategy, seed, test kind and reflection kind (test/fixtures/dremio-matrix) built
// twice through the CLI against the strict Dremio emulator — a TEST DOUBLE (test/dremio-emulator) that
// runs the SQL on DuckDB and refuses what Dremio refuses — in each source kind: a file-system source
// (NAS, Iceberg), a Nessie catalog built with --wap, and Dremio Cloud (/v0/projects/{id}, PAT).
// Between the builds the orders seed changes (run2/raw_orders.csv); every relation's row count after
// each build (counted with Dremio SQL through the emulator's REST API) is derived from the two CSVs
// below, not from cairn's output.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './dremio-emulator/server.js';
import { cliAsync } from './helpers/cli-async.js';
import { client } from './helpers/emulator-client.js';
import { repoRoot, tempDir } from './helpers/project.js';

const FIXTURE = join(repoRoot, 'test/fixtures/dremio-matrix');
const PAT = 'matrix-pat-1';

let em: Emulator | undefined;
afterEach(async () => { await em?.close(); em = undefined; });

// ---- what the data should be, from the seeds ----------------------------------------------------
interface Order { id: number; status: string; amount: number; updated_at: string }
function orders(file: string): Order[] {
  const [head, ...lines] = readFileSync(join(FIXTURE, file), 'utf8').trim().split('\n');
  const cols = head!.split(',');
  return lines.map((l) => {
    const v = Object.fromEntries(l.split(',').map((x, i) => [cols[i]!, x]));
    return { id: Number(v.id), status: v.status!, amount: Number(v.amount), updated_at: v.updated_at! };
  });
}
const RUN1 = orders('seeds/raw_orders.csv');
const RUN2 = orders('run2/raw_orders.csv');
const CUSTOMERS = readFileSync(join(FIXTURE, 'seeds/raw_customers.csv'), 'utf8').trim().split('\n').length - 1;
const byId = new Map(RUN1.map((o) => [o.id, o]));
const maxUpdated = RUN1.map((o) => o.updated_at).sort().at(-1)!;
const newIds = RUN2.filter((o) => !byId.has(o.id)).length;
/** Rows the `is_incremental()` filter (updated_at > max in the table) lets through on run 2. */
const later = RUN2.filter((o) => o.updated_at > maxUpdated).length;
const tsChanged = RUN2.filter((o) => byId.has(o.id) && byId.get(o.id)!.updated_at !== o.updated_at).length;
const statusChanged = RUN2.filter((o) => byId.has(o.id) && byId.get(o.id)!.status !== o.status).length;
const big = (rows: Order[]) => rows.filter((o) => o.amount >= 40).length; // tests/big_orders.sql

/** Row count per relation after run 1 and run 2 (snapshots: all rows / rows still current). */
const EXPECTED = {
  raw_customers: [CUSTOMERS, CUSTOMERS],
  raw_orders: [RUN1.length, RUN2.length],
  orders: [RUN1.length, RUN2.length],
  customers_v: [CUSTOMERS, CUSTOMERS],
  inc_append: [RUN1.length, RUN1.length + later], // appended: a changed row is there twice
  inc_merge: [RUN1.length, RUN1.length + newIds], // upserted
  inc_delete_insert: [RUN1.length, RUN1.length + newIds],
  orders_snap_ts: [RUN1.length, RUN1.length + newIds + tsChanged],
  orders_snap_check: [RUN1.length, RUN1.length + newIds + statusChanged],
  big_orders: [big(RUN1), big(RUN2)], // the stored failures of the store_failures test
};
const CURRENT = [RUN1.length, RUN2.length];

// The scenario needs each kind of change, or the second run would prove nothing.
it('the second seed has new rows, a changed status and a touched-only row', () => {
  expect([newIds, statusChanged, tsChanged - statusChanged, later]).toEqual([2, 1, 1, 4]);
});

// ---- the three source kinds -----------------------------------------------------------------------
interface Kind {
  name: string;
  cloud?: boolean;
  start(): Promise<Emulator>;
  /** The profile's connection and location lines. */
  profile(e: Emulator): string;
  args: string[];
  /** Where each relation lives (Dremio path). */
  path(name: string): string[];
}

const SOFTWARE = (e: Emulator) => `software_host: 127.0.0.1\nport: ${e.port}\nuser: dremio\npassword: "{{ env_var('DREMIO_PASSWORD') }}"`;
const LAKE = 'object_storage_source: lake\nobject_storage_path: raw\ndremio_space: analytics';
const lakePath = (name: string) => (name === 'customers_v' ? ['analytics', name] : name === 'big_orders' ? ['lake', 'raw', 'dbt_test__audit', name] : ['lake', 'raw', name]);

const KINDS: Kind[] = [
  {
    name: 'file-system Iceberg source (NAS)',
    start: () => startEmulator({ sources: ['lake'], spaces: ['analytics'], jobPolls: 0 }),
    profile: (e) => `${SOFTWARE(e)}\n${LAKE}`,
    args: [],
    path: lakePath,
  },
  {
    name: 'Nessie catalog with --wap',
    start: () => startEmulator({ catalogs: ['nessie'], jobPolls: 0 }),
    profile: (e) => `${SOFTWARE(e)}\ncatalog: nessie\nfolder: marts`,
    args: ['--wap'],
    path: (name) => (name === 'big_orders' ? ['nessie', 'marts', 'dbt_test__audit', name] : ['nessie', 'marts', name]),
  },
  {
    name: 'Dremio Cloud (NAS source)',
    cloud: true,
    start: () => startEmulator({ mode: 'cloud', sources: ['lake'], spaces: ['analytics'], pats: [PAT], jobPolls: 0 }),
    profile: (e) => `cloud_host: http://127.0.0.1:${e.port}\ncloud_project_id: ${e.projectId}\npat: "{{ env_var('DREMIO_PAT') }}"\n${LAKE}`,
    args: [],
    path: lakePath,
  },
];

const env = { DREMIO_PASSWORD: 'dremio123', DREMIO_PAT: PAT };

function project(kind: Kind, e: Emulator): string {
  const dir = tempDir('cairn-matrix-');
  cpSync(FIXTURE, dir, { recursive: true });
  const lines = kind.profile(e).split('\n').map((l) => `      ${l}`).join('\n');
  writeFileSync(join(dir, 'profiles.yml'), `matrix:\n  target: dev\n  outputs:\n    dev:\n      type: dremio\n${lines}\n      threads: 2\n`);
  return dir;
}

/** Dremio SQL through the emulator's REST API, as the kind's users reach it (Software login or Cloud PAT). */
async function sql(kind: Kind, e: Emulator) {
  const c = kind.cloud ? client(e, e.cloudBase) : client(e);
  if (kind.cloud) c.useBearer(PAT);
  else await c.login();
  const quoted = (path: string[]) => path.map((p) => `"${p}"`).join('.');
  return {
    count: async (path: string[], where = '') => Number((await c.ok(`SELECT COUNT(*) AS n FROM ${quoted(path)}${where}`)).rows[0].n),
    rows: async (query: string) => (await c.ok(query)).rows as Record<string, unknown>[],
  };
}

const statuses = (dir: string): Record<string, string> =>
  Object.fromEntries(JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8')).results.map((r: { unique_id: string; status: string }) => [r.unique_id, r.status]));

describe.each(KINDS)('Dremio matrix: $name', (kind) => {
  it('builds every node kind, then builds again incrementally; row counts follow the seeds', async () => {
    em = await kind.start();
    const e = em;
    const dir = project(kind, e);
    const build = async (run: 0 | 1) => {
      const mark = e.jobs.list().length;
      const r = await cliAsync(['build', ...kind.args], { cwd: dir, env });
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/PASS=19 WARN=1 ERROR=0 SKIP=0 TOTAL=20/);
      expect(r.code).toBe(0);
      expect(r.stdout + r.stderr).not.toContain(PAT);
      // Every node as expected: only the store_failures test warns (it finds the big orders).
      const st = statuses(dir);
      expect(Object.entries(st).filter(([, s]) => s !== 'success' && s !== 'pass')).toEqual([['test.matrix.big_orders', 'warn']]);
      expect(st['unit_test.matrix.customers_v.customers_v_counts_orders']).toBe('pass');
      const q = await sql(kind, e);
      const got: Record<string, number> = {};
      for (const name of Object.keys(EXPECTED)) got[name] = await q.count(kind.path(name));
      expect(got).toEqual(Object.fromEntries(Object.entries(EXPECTED).map(([k, v]) => [k, v[run]])));
      for (const snap of ['orders_snap_ts', 'orders_snap_check']) {
        expect(await q.count(kind.path(snap), ' WHERE dbt_valid_to IS NULL')).toBe(CURRENT[run]);
      }
      // Both reflections on the (published) orders table, once each.
      const ds = e.catalog.dataset(kind.path('orders'))!;
      expect(e.reflections.list(ds.id).map((x) => x.name).sort()).toEqual(['orders_agg_refl', 'orders_raw_refl']);
      // ... and nowhere else: none on a branch's or a tmp table's copy. (Reflections of dropped
      // datasets are left out: Dremio deletes them itself, ReflectionManager.handleDeletedDatasets.)
      expect(e.reflections.list().filter((x) => e.catalog.byId(x.datasetId)).length).toBe(2);
      // --wap: the run branch was merged and dropped, nothing is left on a branch.
      expect(e.catalog.roots().filter((c) => c.path[0]!.includes('@cairn_run_'))).toEqual([]);
      return e.jobs.list().slice(mark).map((j) => j.sql);
    };

    const first = await build(0);
    const target = (name: string) => kind.path(name).map((p) => `"${p}"`).join('.');
    // CTAS straight into the target (the tmp table of a rebuild is another name).
    const ctas = (sqls: string[], name: string) => sqls.filter((s) => s.startsWith(`CREATE TABLE ${target(name)}\n`) && /\nAS \(/.test(s)).length;
    for (const name of ['inc_append', 'inc_merge', 'inc_delete_insert']) expect(ctas(first, name), name).toBe(1);

    cpSync(join(dir, 'run2/raw_orders.csv'), join(dir, 'seeds/raw_orders.csv'));
    const second = await build(1);
    // Incremental: DML into the existing tables, no CTAS of the targets.
    const starts = (prefix: string) => second.filter((s) => s.startsWith(prefix)).length;
    for (const name of ['inc_append', 'inc_merge', 'inc_delete_insert', 'orders_snap_ts', 'orders_snap_check']) {
      expect(ctas(second, name), name).toBe(0);
    }
    expect(starts(`INSERT INTO ${target('inc_append')} (`)).toBe(1);
    expect(starts(`MERGE INTO ${target('inc_merge')} AS`)).toBe(1);
    expect(starts(`DELETE FROM ${target('inc_delete_insert')} AS`)).toBe(1);
    expect(starts(`INSERT INTO ${target('inc_delete_insert')} (`)).toBe(1);
    expect(starts(`MERGE INTO ${target('orders_snap_ts')}`)).toBe(1);
    expect(starts(`MERGE INTO ${target('orders_snap_check')}`)).toBe(1);
    // The seed kept its table (emptied and refilled).
    expect(starts(`TRUNCATE TABLE ${target('raw_orders')}`)).toBe(1);
    // The upsert took the changed row's new values.
    expect(await (await sql(kind, e)).rows(`SELECT status, amount FROM ${target('inc_merge')} WHERE id = 3`)).toEqual([{ status: 'shipped', amount: 35 }]);
  }, 60_000);

  it('refuses incremental_strategy microbatch before anything runs, naming the model', async () => {
    em = await kind.start();
    const dir = project(kind, em);
    cpSync(join(dir, 'refused/inc_microbatch.sql'), join(dir, 'models/inc_microbatch.sql'));
    const r = await cliAsync(['build', ...kind.args], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[CONFIG_INVALID\] models\/inc_microbatch\.sql \(inc_microbatch\): incremental model inc_microbatch uses incremental_strategy 'microbatch', which cairn does not support on Dremio/);
    expect(r.stderr).toMatch(/hint: use incremental_strategy='merge' with unique_key/);
    expect(em.jobs.list()).toEqual([]);
  }, 30_000);
});
