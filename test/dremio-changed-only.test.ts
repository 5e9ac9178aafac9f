// `--changed-only` on Dremio, against the Dremio emulator — a TEST DOUBLE (test/dremio-emulator) that
// runs SQL on DuckDB and serves Iceberg snapshot ids through TABLE(table_snapshot(...)). Sources get
// their data version from the snapshot id (no loaded_at_field), so a second build runs no model
// statement, and rows appended to a source rebuild exactly the chain that reads it.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { adapterRegistry } from '../adapters/registry.js';
import { DremioAdapter } from '../adapters/dremio/dremio-adapter.js';
import { build, ls } from '../core/api/index.js';
import { startEmulator, type Emulator } from './dremio-emulator/server.js';
import { makeProject, PROJECT } from './helpers/project.js';

let em: Emulator | undefined;
const dirs: string[] = [];
afterEach(async () => { await em?.close(); em = undefined; });
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const profile = (port: number) => `p:
  target: dev
  outputs:
    dev:
      type: dremio
      software_host: 127.0.0.1
      port: ${port}
      user: dremio
      password: dremio123
      object_storage_source: lake
      object_storage_path: marts
      dremio_space: analytics
      dremio_space_folder: views
      threads: 2
`;

function project(port: number): string {
  const dir = makeProject({
    'dbt_project.yml': PROJECT('p', 'models:\n  p:\n    +materialized: table\n'),
    'profiles.yml': profile(port),
    'models/sources.yml': `version: 2
sources:
  - name: app
    database: lake
    schema: raw
    tables:
      - name: events
      - name: customers
`,
    'models/stg_events.sql': "select id, kind from {{ source('app', 'events') }}",
    'models/events_v.sql': "{{ config(materialized='view') }}\nselect * from {{ ref('stg_events') }}",
    'models/event_counts.sql': "select kind, count(*) as n from {{ ref('events_v') }} group by kind",
    'models/stg_customers.sql': "select id, name from {{ source('app', 'customers') }}",
    'models/customer_count.sql': "select count(*) as n from {{ ref('stg_customers') }}",
  });
  dirs.push(dir);
  return dir;
}

/** SQL jobs that are not catalog or metadata queries: what a model's build costs the engine. */
const modelJobs = (from: number) =>
  em!.jobs.list().slice(from).map((j) => j.sql).filter((s) => !/INFORMATION_SCHEMA|table_snapshot|\bsys\./i.test(s));

async function counted(dir: string) {
  const before = em!.jobs.list().length;
  const r = await build({ projectDir: dir, profilesDir: dir, adapters: adapterRegistry, changedOnly: true });
  const name = (id: string) => r.project.nodes.get(id)!.name;
  return {
    r,
    jobs: modelJobs(before),
    built: r.results.filter((x) => !x.reused && x.status === 'success').map((x) => name(x.uniqueId)).sort(),
    reasons: Object.fromEntries(r.results.map((x) => [name(x.uniqueId), x.message])),
  };
}

async function engine(port: number): Promise<DremioAdapter> {
  const a = new DremioAdapter({ name: 'w', type: 'dremio', schema: 'x', threads: 1, software_host: '127.0.0.1', port, user: 'dremio', password: 'dremio123' });
  await a.open();
  return a;
}

/** The emulator with sources lake.raw.events (`events`: its VALUES rows) and lake.raw.customers, and a connection that writes outside cairn. */
async function withSources(events: string, body: (w: DremioAdapter, e: Emulator) => Promise<void>): Promise<void> {
  em = await startEmulator({ sources: ['lake'], spaces: ['analytics'], jobPolls: 0 });
  const w = await engine(em.port);
  try {
    await w.execute(`CREATE TABLE lake.raw.events AS SELECT * FROM (VALUES ${events}) AS v(id, kind)`);
    await w.execute("CREATE TABLE lake.raw.customers AS SELECT * FROM (VALUES (1, 'ann')) AS v(id, name)");
    await body(w, em);
  } finally {
    await w.close();
  }
}

describe('--changed-only on Dremio (emulator test double)', () => {
  it('a copy_into node always runs on Dremio (its location is listed only through Dremio, without sizes or times), and so does its chain', async () => {
    const dir = project(0);
    mkdirSync(join(dir, 'landing/orders'), { recursive: true });
    writeFileSync(join(dir, 'landing/orders/a.csv'), 'id,amount\n1,10\n');
    em = await startEmulator({ sources: ['lake'], spaces: ['analytics'], storageRoots: { landing: join(dir, 'landing') }, jobPolls: 0 });
    writeFileSync(join(dir, 'profiles.yml'), profile(em.port));
    for (const f of ['sources.yml', 'stg_events.sql', 'events_v.sql', 'event_counts.sql', 'stg_customers.sql', 'customer_count.sql']) rmSync(join(dir, 'models', f));
    writeFileSync(join(dir, 'models/raw_orders.sql'), "{{ config(materialized='copy_into', from='@landing/orders/', file_format='csv', truncate=true, columns={'id': 'INTEGER', 'amount': 'INTEGER'}) }}");
    writeFileSync(join(dir, 'models/order_total.sql'), "select sum(amount) as total from {{ ref('raw_orders') }}");
    await counted(dir);
    const stale = ls({ projectDir: dir, profilesDir: dir, adapters: adapterRegistry, select: ['state:stale'], output: 'json' }).map((l) => JSON.parse(l));
    expect(Object.fromEntries(stale.map((j) => [j.name, j.stale_reason]))).toEqual({
      raw_orders: 'a copy_into node always runs on dremio (cairn cannot list its location\'s files)',
      order_total: 'raw_orders will be rebuilt',
    });
    const second = await counted(dir);
    expect(second.built).toEqual(['order_total', 'raw_orders']);
    expect(second.jobs.some((s) => /^COPY INTO/i.test(s))).toBe(true);
  });

  it('a second build runs zero model statements; rows appended to a source rebuild exactly the chain reading it', async () => {
    await withSources("(1, 'click'), (2, 'view')", async (w, em) => {
      const dir = project(em.port);
      const first = await counted(dir);
      expect(first.r.success).toBe(true);
      expect(first.built).toEqual(['customer_count', 'event_counts', 'events_v', 'stg_customers', 'stg_events']);

      const second = await counted(dir);
      expect(second.r.success).toBe(true);
      expect(second.jobs).toEqual([]);
      expect(second.built).toEqual([]);
      expect(second.reasons.stg_events).toBe('reused: code and inputs unchanged');

      // A write to the source commits a new Iceberg snapshot: only what reads it rebuilds.
      await w.execute("INSERT INTO lake.raw.events VALUES (3, 'click')");
      const third = await counted(dir);
      expect(third.built).toEqual(['event_counts', 'stg_events']);
      expect(third.reasons.events_v).toBe('reused: view definition unchanged');
      expect(third.reasons.stg_customers).toBe('reused: code and inputs unchanged');
      expect(third.jobs.some((s) => /stg_customers|customer_count/.test(s))).toBe(false);
      expect(await em.db.query(`select kind, n::int as n from ${em.db.name(['lake', 'marts', 'event_counts'])} order by kind`)).toEqual([{ kind: 'click', n: 2 }, { kind: 'view', n: 1 }]);
    });
  });

  it('a table cairn built that was written outside cairn is rebuilt, with what reads it (snapshot cross-check)', async () => {
    await withSources("(1, 'click')", async (w, em) => {
      const dir = project(em.port);
      await counted(dir);
      await w.execute("INSERT INTO lake.marts.stg_customers VALUES (9, 'intruder')");
      const after = await counted(dir);
      expect(after.built).toEqual(['customer_count', 'stg_customers']);
      expect(await em.db.query(`select n::int as n from ${em.db.name(['lake', 'marts', 'customer_count'])}`)).toEqual([{ n: 1 }]);
      // And then it settles: nothing runs.
      expect((await counted(dir)).jobs).toEqual([]);
    });
  });

  it('a run of one model asks the engine for the versions of that model and what it reads, not the whole project', async () => {
    await withSources("(1, 'click')", async (w, em) => {
      const dir = project(em.port);
      await counted(dir);
      for (const changedOnly of [true, false]) {
        const before = em.jobs.list().length;
        const r = await build({ projectDir: dir, profilesDir: dir, adapters: adapterRegistry, changedOnly, select: ['customer_count'] });
        expect(r.success).toBe(true);
        const asked = em.jobs.list().slice(before).map((j) => j.sql).filter((s) => /table_snapshot/i.test(s)).join('\n');
        // customer_count's own table and its parent stg_customers; nothing of the events chain or its source.
        expect(asked).toMatch(/customer_count/);
        expect(asked).toMatch(/stg_customers/);
        expect(asked, `changedOnly=${changedOnly}`).not.toMatch(/events|customers'\)|"raw"/);
      }
    });
  });

  it('dataVersions: one job for many tables; a view or missing table splits the batch until it stands alone and gets null', async () => {
    em = await startEmulator({ sources: ['lake'], spaces: ['analytics'], jobPolls: 0 });
    const w = await engine(em.port);
    try {
      await w.execute('CREATE TABLE lake.raw.a AS SELECT 1 AS id');
      await w.execute('CREATE TABLE lake.raw."b.c" AS SELECT 1 AS id');
      await w.execute('CREATE VIEW analytics.v AS SELECT * FROM lake.raw.a');
      const a = { database: 'lake', schema: 'raw', identifier: 'a' };
      const bc = { database: 'lake', schema: 'raw', identifier: 'b.c' };
      let before = em.jobs.list().length;
      const ok = await w.dataVersions([a, bc]);
      expect(em.jobs.list().length - before).toBe(1);
      expect(ok.every((v) => /^snapshot:[1-9][0-9]*$/.test(String(v)))).toBe(true);
      await w.execute('INSERT INTO lake.raw.a VALUES (2)');
      before = em.jobs.list().length;
      const mixed = await w.dataVersions([a, { database: 'analytics', schema: '', identifier: 'v' }, { database: 'lake', schema: 'raw', identifier: 'nope' }, bc]);
      // [a, v, nope, bc] fails; [a, v] fails -> [a], [v]; [nope, bc] fails -> [nope], [bc].
      expect(em.jobs.list().length - before).toBe(7);
      expect(mixed[0]).not.toBe(ok[0]);
      expect(mixed.slice(1)).toEqual([null, null, ok[1]]);
    } finally {
      await w.close();
    }
  });
});
