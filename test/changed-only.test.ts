// `--changed-only`: a second build with nothing changed runs no model statement; a changed seed
// rebuilds exactly what is downstream of it; an edited model rebuilds it and its children; a failed
// node is never marked built; views are re-created only when their definition changes.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { duckdbProvider } from '../adapters/duckdb/index.js';
import { build } from '../core/api/index.js';
import { faultyProvider } from './helpers/fault-adapter.js';
import { queryDuckdb } from './helpers/duckdb.js';
import { cli, makeProject, PROFILE, PROJECT } from './helpers/project.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function project(extra = ''): string {
  const dir = makeProject({
    'dbt_project.yml': PROJECT('chg', `models:\n  chg:\n    +materialized: table\n${extra}`),
    'profiles.yml': PROFILE('chg'),
    'seeds/prices.csv': 'sku,price\na,1\nb,2\n',
    'seeds/regions.csv': 'region\neu\nus\n',
    'models/priced.sql': "select sku, price * 2 as doubled from {{ ref('prices') }}",
    'models/priced_v.sql': "{{ config(materialized='view') }}\nselect * from {{ ref('priced') }}",
    'models/report.sql': "select count(*) as n, sum(doubled) as total from {{ ref('priced_v') }}",
    'models/regional.sql': "select region from {{ ref('regions') }}",
    'models/schema.yml': 'version: 2\nmodels:\n  - name: priced\n    columns:\n      - name: sku\n        data_tests: [unique]\n',
  });
  dirs.push(dir);
  return dir;
}

/** One build through the real DuckDB adapter, counting each node's materialization statements (tests query, and are not counted there). */
async function counted(dir: string, changedOnly = true, fullRefresh = false) {
  const adapters = faultyProvider(duckdbProvider, []);
  const r = await build({ projectDir: dir, profilesDir: dir, adapters, changedOnly, fullRefresh });
  const ran = [...adapters.calls.keys()].sort();
  return { r, ran, reused: r.results.filter((x) => x.reused).map((x) => r.project.nodes.get(x.uniqueId)!.name).sort() };
}

describe('--changed-only', () => {
  it('a second build with nothing changed runs no statement for any node', async () => {
    const dir = project();
    const first = await counted(dir);
    expect(first.ran).toEqual(['priced', 'priced_v', 'prices', 'regional', 'regions', 'report']);
    expect(first.reused).toEqual([]);
    const second = await counted(dir);
    expect(second.r.success).toBe(true);
    expect(second.ran).toEqual([]);
    expect(second.reused).toEqual(['priced', 'priced_v', 'prices', 'regional', 'regions', 'report', 'unique_priced_sku']);
    const rr = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8'));
    expect(rr.results.every((x: { status: string; message: string }) => /^(success|pass)$/.test(x.status) && x.message.startsWith('reused: '))).toBe(true);
    expect(await queryDuckdb(join(dir, 'test.duckdb'), 'select n::int as n, total::int as total from main.report')).toEqual([{ n: 2, total: 6 }]);
  });

  it('a changed seed rebuilds exactly what reads it (through the view); the other branch is reused', async () => {
    const dir = project();
    await counted(dir);
    writeFileSync(join(dir, 'seeds/prices.csv'), 'sku,price\na,1\nb,2\nc,5\n');
    const after = await counted(dir);
    // The view's definition did not change, so it is not re-created; the table under it has new data.
    expect(after.ran).toEqual(['priced', 'prices', 'report']);
    expect(after.reused).toEqual(['priced_v', 'regional', 'regions']); // the test on priced ran again
    expect(await queryDuckdb(join(dir, 'test.duckdb'), 'select n::int as n, total::int as total from main.report')).toEqual([{ n: 3, total: 16 }]);
  });

  it("an edited model rebuilds it and what is downstream; its test reruns", async () => {
    const dir = project();
    await counted(dir);
    writeFileSync(join(dir, 'models/priced.sql'), "select sku, price * 3 as doubled from {{ ref('prices') }}");
    const after = await counted(dir);
    expect(after.ran).toEqual(['priced', 'report']);
    expect(after.reused).not.toContain('unique_priced_sku');
    expect(await queryDuckdb(join(dir, 'test.duckdb'), 'select total::int as total from main.report')).toEqual([{ total: 9 }]);
  });

  it('a failed node is never marked built: the next run builds it again', async () => {
    const dir = project();
    await counted(dir);
    writeFileSync(join(dir, 'models/regional.sql'), 'select * from no_such_table');
    const failed = await counted(dir);
    expect(failed.r.success).toBe(false);
    writeFileSync(join(dir, 'models/regional.sql'), "select region from {{ ref('regions') }}");
    const again = await counted(dir);
    expect(again.ran).toEqual(['regional']);
    const ledger = JSON.parse(readFileSync(join(dir, 'target/build_ledger.json'), 'utf8'));
    expect(Object.keys(ledger.targets.dev)).toContain('model.chg.regional');
  });

  it('--full-refresh and a dropped relation rebuild; without the flag nothing is reused; the CLI prints REUSED with the reason', async () => {
    const dir = project('changed_only: true\n');
    expect(cli(['build'], { cwd: dir }).code).toBe(0);
    const cliRun = cli(['build'], { cwd: dir });
    expect(cliRun.stdout).toMatch(/REUSED sql table model main\.report \(code and inputs unchanged\) \.+ \[REUSED\]/);
    expect(cliRun.stdout).toMatch(/REUSED sql view model main\.priced_v \(view definition unchanged\)/);
    expect(cli(['build', '--no-changed-only'], { cwd: dir }).stdout).not.toMatch(/REUSED/);
    expect((await counted(dir, true)).ran).toEqual([]);
    expect((await counted(dir, true, true)).ran).toEqual(['priced', 'priced_v', 'prices', 'regional', 'regions', 'report']);
    await queryDuckdb(join(dir, 'test.duckdb'), 'drop table main.report');
    expect((await counted(dir)).ran).toEqual(['report']);
  });

  it('a source: without loaded_at_field it always counts as changed; with it, new rows rebuild', async () => {
    const dir = project();
    writeFileSync(join(dir, 'models/sources.yml'), `version: 2
sources:
  - name: app
    schema: main
    tables:
      - name: events
      - name: loads
        loaded_at_field: loaded_at
`);
    writeFileSync(join(dir, 'models/from_events.sql'), "select count(*) as n from {{ source('app', 'events') }}");
    writeFileSync(join(dir, 'models/from_loads.sql'), "select count(*) as n from {{ source('app', 'loads') }}");
    const db = join(dir, 'test.duckdb');
    await queryDuckdb(db, "create table main.events as select 1 as id; create table main.loads as select timestamp '2024-01-01' as loaded_at");
    await counted(dir);
    const second = await counted(dir);
    expect(second.ran).toEqual(['from_events']);
    await queryDuckdb(db, "insert into main.loads values (timestamp '2024-01-02')");
    const third = await counted(dir);
    expect(third.ran).toEqual(['from_events', 'from_loads']);
    expect(await queryDuckdb(db, 'select n::int as n from main.from_loads')).toEqual([{ n: 2 }]);
  });

  it('a plain build records what it built: a later --changed-only run reuses it; a node that failed in a plain run is rebuilt', async () => {
    const dir = project();
    writeFileSync(join(dir, 'models/regional.sql'), 'select * from no_such_table');
    const plain = await counted(dir, false);
    expect(plain.r.success).toBe(false);
    expect(plain.reused).toEqual([]);
    const ledger = JSON.parse(readFileSync(join(dir, 'target/build_ledger.json'), 'utf8'));
    expect(Object.keys(ledger.targets.dev)).toContain('model.chg.report');
    expect(Object.keys(ledger.targets.dev)).not.toContain('model.chg.regional');
    writeFileSync(join(dir, 'models/regional.sql'), "select region from {{ ref('regions') }}");
    const next = await counted(dir);
    expect(next.ran).toEqual(['regional']);
    expect(next.reused).toEqual(['priced', 'priced_v', 'prices', 'regions', 'report', 'unique_priced_sku']);
  });

  it('a node that built before and fails now loses its entry, also in a plain run', async () => {
    const dir = project();
    await counted(dir);
    writeFileSync(join(dir, 'models/report.sql'), 'select * from no_such_table');
    expect((await counted(dir, false)).r.success).toBe(false);
    // Put back exactly the SQL the ledger recorded: the failed build replaced nothing it can vouch for.
    writeFileSync(join(dir, 'models/report.sql'), "select count(*) as n, sum(doubled) as total from {{ ref('priced_v') }}");
    expect((await counted(dir)).ran).toEqual(['report']);
  });

  it('an --empty build is never reused: it forgets what it builds', async () => {
    const dir = project();
    await counted(dir);
    const adapters = faultyProvider(duckdbProvider, []);
    const events: string[] = [];
    const empty = await build({ projectDir: dir, profilesDir: dir, adapters, changedOnly: true, compileOptions: { empty: true }, onEvent: (e) => e.type === 'warning' && events.push(e.message) });
    expect(empty.results.some((x) => x.reused)).toBe(false);
    expect(events).toContain('--changed-only is ignored with --empty: every selected node is built, and none is recorded as built');
    expect(await queryDuckdb(join(dir, 'test.duckdb'), 'select count(*)::int as n from main.priced')).toEqual([{ n: 0 }]);
    expect((await counted(dir)).ran).toEqual(['priced', 'priced_v', 'prices', 'regional', 'regions', 'report']);
    expect(await queryDuckdb(join(dir, 'test.duckdb'), 'select count(*)::int as n from main.priced')).toEqual([{ n: 2 }]);
  });

  it('an edit that leaves the rendered SQL as it was rebuilds nothing; a view edit rebuilds the view and the tables reading through it', async () => {
    const dir = project();
    await counted(dir);
    writeFileSync(join(dir, 'models/priced.sql'), "{% set factor = 2 %}select sku, price * {{ factor }} as doubled from {{ ref('prices') }}");
    expect((await counted(dir)).ran).toEqual([]);
    writeFileSync(join(dir, 'models/priced_v.sql'), "{{ config(materialized='view') }}\nselect * from {{ ref('priced') }} where sku = 'a'");
    const after = await counted(dir);
    expect(after.ran).toEqual(['priced_v', 'report']);
    expect(await queryDuckdb(join(dir, 'test.duckdb'), 'select n::int as n from main.report')).toEqual([{ n: 1 }]);
  });

  it('two concurrent runs on one target leave a whole ledger', async () => {
    const dir = project();
    const adapters = faultyProvider(duckdbProvider, []);
    const runs = await Promise.all([1, 2].map(() => build({ projectDir: dir, profilesDir: dir, adapters, changedOnly: true, wait: true })));
    expect(runs.every((r) => r.success)).toBe(true);
    const ledger = JSON.parse(readFileSync(join(dir, 'target/build_ledger.json'), 'utf8'));
    expect(Object.keys(ledger.targets.dev).sort()).toEqual(['model.chg.priced', 'model.chg.priced_v', 'model.chg.regional', 'model.chg.report', 'seed.chg.prices', 'seed.chg.regions', expect.stringMatching(/^test\.chg\.unique_priced_sku/)]);
    // The second run (after the lock) reused everything the first had built.
    expect(runs.some((r) => r.results.every((x) => x.reused))).toBe(true);
  });
});
