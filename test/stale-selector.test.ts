// `cairn ls --select state:stale`: what a `--changed-only` build would rebuild, and why, from the build
// ledger and the project alone. Checked against what such a build then really rebuilds (DuckDB).
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { duckdbProvider } from '../adapters/duckdb/index.js';
import { build, ls } from '../core/api/index.js';
import { cli, makeProject, PROFILE, PROJECT } from './helpers/project.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function project(): string {
  const dir = makeProject({
    'dbt_project.yml': PROJECT('st', 'models:\n  st:\n    +materialized: table\n'),
    'profiles.yml': PROFILE('st'),
    'seeds/prices.csv': 'sku,price\na,1\nb,2\n',
    'seeds/regions.csv': 'region\neu\nus\n',
    'models/priced.sql': "select sku, price * 2 as doubled from {{ ref('prices') }}",
    'models/priced_v.sql': "{{ config(materialized='view') }}\nselect * from {{ ref('priced') }}",
    'models/report.sql': "select count(*) as n from {{ ref('priced_v') }}",
    'models/regional.sql': "select region from {{ ref('regions') }}",
    'models/schema.yml': 'version: 2\nmodels:\n  - name: priced\n    columns:\n      - name: sku\n        data_tests: [unique]\n',
  });
  dirs.push(dir);
  return dir;
}

const staleJson = (dir: string) =>
  Object.fromEntries(ls({ projectDir: dir, profilesDir: dir, adapters: duckdbProvider, select: ['state:stale'], output: 'json' }).map((l) => JSON.parse(l)).map((j) => [j.name, j.stale_reason]));

async function changedOnlyBuild(dir: string): Promise<string[]> {
  const r = await build({ projectDir: dir, profilesDir: dir, adapters: duckdbProvider, changedOnly: true });
  return r.results.filter((x) => !x.reused).map((x) => r.project.nodes.get(x.uniqueId)!.name).sort();
}

describe('ls --select state:stale', () => {
  it('lists what a --changed-only build then rebuilds, with why; nothing after it; a seed change flows downstream', async () => {
    const dir = project();
    const before = staleJson(dir);
    expect(Object.values(before).every((w) => w === 'no successful build recorded')).toBe(true);
    expect(Object.keys(before).sort()).toEqual(await changedOnlyBuild(dir));
    expect(staleJson(dir)).toEqual({});

    writeFileSync(join(dir, 'seeds/prices.csv'), 'sku,price\na,1\nb,2\nc,3\n');
    const afterSeed = staleJson(dir);
    expect(afterSeed).toEqual({
      prices: 'its code or config changed',
      priced: 'prices will be rebuilt',
      report: 'priced will be rebuilt',
      unique_priced_sku: 'priced will be rebuilt',
    });
    expect(Object.keys(afterSeed).sort()).toEqual(await changedOnlyBuild(dir));

    writeFileSync(join(dir, 'models/priced_v.sql'), "{{ config(materialized='view') }}\nselect sku from {{ ref('priced') }}");
    const afterView = staleJson(dir);
    expect(afterView).toEqual({ priced_v: 'its code or config changed', report: 'priced_v changed since its last build' });
    expect(Object.keys(afterView).sort()).toEqual(await changedOnlyBuild(dir));
  });

  it('a source (version known only at run time) makes its readers stale, and their children; the CLI prints stale_reason without --state', async () => {
    const dir = project();
    writeFileSync(join(dir, 'models/sources.yml'), 'version: 2\nsources:\n  - name: app\n    schema: main\n    tables:\n      - name: events\n      - name: loads\n        loaded_at_field: loaded_at\n');
    writeFileSync(join(dir, 'models/from_loads.sql'), "select count(*) as n from {{ source('app', 'loads') }}");
    writeFileSync(join(dir, 'models/from_events.sql'), "select count(*) as n from {{ source('app', 'events') }}");
    writeFileSync(join(dir, 'models/events_report.sql'), "select n from {{ ref('from_events') }}");
    expect(cli(['seed'], { cwd: dir }).code).toBe(0);
    const { queryDuckdb } = await import('./helpers/duckdb.js');
    await queryDuckdb(join(dir, 'test.duckdb'), "create table main.events as select 1 as id; create table main.loads as select timestamp '2024-01-01' as loaded_at");
    await changedOnlyBuild(dir);
    const r = cli(['ls', '--select', 'state:stale', '--output', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(Object.fromEntries(rows.map((j) => [j.name, j.stale_reason]))).toEqual({
      // A reader of a source with no version at all is never recorded as built (it always runs).
      from_events: 'no successful build recorded',
      events_report: 'from_events will be rebuilt',
      from_loads: 'source app.loads: its data version is known only at run time',
    });
    expect(cli(['ls', '--select', 'state:stale'], { cwd: dir }).stdout.trim().split('\n').sort()).toEqual(['st.events_report', 'st.from_events', 'st.from_loads']);
  });
});
