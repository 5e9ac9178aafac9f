// `build_ledger: {store: engine}`: the build ledger is kept in a table of the engine too, so a fresh
// checkout (target/ gone) still reuses what was built. Real DuckDB; model statements are counted at
// the adapter (executeAll per node), the ledger table's own statements are not model statements.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duckdbProvider } from '../adapters/duckdb/index.js';
import { build } from '../core/api/index.js';
import { isCairnError } from '../core/errors.js';
import { faultyProvider } from './helpers/fault-adapter.js';
import { queryDuckdb } from './helpers/duckdb.js';
import { makeProject, PROFILE, PROJECT } from './helpers/project.js';

const ALL = ['priced', 'priced_v', 'prices', 'regional', 'regions', 'report'];

function project(setting = 'build_ledger: {store: engine}\n'): string {
  return makeProject({
    'dbt_project.yml': PROJECT('eng', `${setting}models:\n  eng:\n    +materialized: table\n`),
    'profiles.yml': PROFILE('eng'),
    'seeds/prices.csv': 'sku,price\na,1\nb,2\n',
    'seeds/regions.csv': 'region\neu\nus\n',
    'models/priced.sql': "select sku, price * 2 as doubled from {{ ref('prices') }}",
    'models/priced_v.sql': "{{ config(materialized='view') }}\nselect * from {{ ref('priced') }}",
    'models/report.sql': "select count(*) as n, sum(doubled) as total from {{ ref('priced_v') }}",
    'models/regional.sql': "select region from {{ ref('regions') }}",
    'models/schema.yml': 'version: 2\nmodels:\n  - name: priced\n    columns:\n      - name: sku\n        data_tests: [unique]\n',
  });
}

async function counted(dir: string, changedOnly = true) {
  const adapters = faultyProvider(duckdbProvider, []);
  const warnings: string[] = [];
  const r = await build({ projectDir: dir, profilesDir: dir, adapters, changedOnly, onEvent: (e) => e.type === 'warning' && warnings.push(e.message) });
  return { r, warnings, ran: [...adapters.calls.keys()].sort(), reused: r.results.filter((x) => x.reused).map((x) => r.project.nodes.get(x.uniqueId)!.name).sort() };
}

const freshCheckout = (dir: string) => rmSync(join(dir, 'target'), { recursive: true, force: true });

describe('build_ledger: {store: engine} (DuckDB)', () => {
  it('a fresh checkout reuses everything from the engine-stored ledger: zero model statements', async () => {
    const dir = project();
    const first = await counted(dir, false);
    expect(first.ran).toEqual(ALL);
    const rows = await queryDuckdb(join(dir, 'test.duckdb'), 'select target_name, node_id from main.cairn_build_ledger order by node_id');
    expect(rows.map((r) => r.node_id)).toEqual(['model.eng.priced', 'model.eng.priced_v', 'model.eng.regional', 'model.eng.report', 'seed.eng.prices', 'seed.eng.regions', expect.stringMatching(/^test\.eng\.unique_priced_sku/)]);
    expect(rows.every((r) => r.target_name === 'dev')).toBe(true);
    freshCheckout(dir);
    const again = await counted(dir);
    expect(again.r.success).toBe(true);
    expect(again.warnings).toEqual([]);
    expect(again.ran).toEqual([]);
    expect(again.reused).toEqual([...ALL, 'unique_priced_sku']);
  });

  it('after a fresh checkout a changed seed rebuilds exactly its chain', async () => {
    const dir = project();
    await counted(dir);
    freshCheckout(dir);
    writeFileSync(join(dir, 'seeds/prices.csv'), 'sku,price\na,1\nb,2\nc,5\n');
    const after = await counted(dir);
    expect(after.ran).toEqual(['priced', 'prices', 'report']);
    expect(after.reused).toEqual(['priced_v', 'regional', 'regions']);
    expect(await queryDuckdb(join(dir, 'test.duckdb'), 'select n::int as n, total::int as total from main.report')).toEqual([{ n: 3, total: 16 }]);
    // What that run rebuilt is in the table: another fresh checkout rebuilds nothing.
    freshCheckout(dir);
    expect((await counted(dir)).ran).toEqual([]);
  });

  it('without the setting, a fresh checkout rebuilds everything (the ledger was only in target/)', async () => {
    const dir = project('');
    await counted(dir);
    expect((await counted(dir)).ran).toEqual([]);
    freshCheckout(dir);
    expect((await counted(dir)).ran).toEqual(ALL);
    expect(await queryDuckdb(join(dir, 'test.duckdb'), "select count(*)::int as n from information_schema.tables where table_name = 'cairn_build_ledger'")).toEqual([{ n: 0 }]);
  });

  it('turned on after building: the next run writes what the local ledger knows, so a fresh checkout reuses it', async () => {
    const dir = project('');
    await counted(dir);
    writeFileSync(join(dir, 'dbt_project.yml'), PROJECT('eng', 'build_ledger:\n  store: engine\n  table: my_ledger\nmodels:\n  eng:\n    +materialized: table\n'));
    expect((await counted(dir)).ran).toEqual([]);
    expect(await queryDuckdb(join(dir, 'test.duckdb'), 'select count(*)::int as n from main.my_ledger')).toEqual([{ n: 7 }]);
    freshCheckout(dir);
    expect((await counted(dir)).ran).toEqual([]);
  });

  it('an engine table it cannot read or write warns once, and the run succeeds on the local file', async () => {
    const dir = project();
    // Something else owns the name: a view without the ledger's columns (SELECT and DELETE both fail).
    await queryDuckdb(join(dir, 'test.duckdb'), 'create view main.cairn_build_ledger as select 1 as x');
    const first = await counted(dir);
    expect(first.r.success).toBe(true);
    expect(first.ran).toEqual(ALL);
    expect(first.warnings).toHaveLength(1);
    expect(first.warnings[0]).toMatch(/^build_ledger: could not read the build ledger table main\.cairn_build_ledger \(.*"target_name" not found.*\); this run uses target\/build_ledger\.json only$/);
    // The local ledger still works.
    const second = await counted(dir);
    expect(second.r.success).toBe(true);
    expect(second.ran).toEqual([]);
  });

  it('rows it cannot use: an older duplicate loses to the newer row, an unreadable entry rebuilds only its node', async () => {
    const dir = project();
    await counted(dir);
    const db = join(dir, 'test.duckdb');
    const old = JSON.stringify({ fingerprint: 'x', inputs: {}, version: 'old', builtAt: '2000-01-01T00:00:00.000Z' });
    await queryDuckdb(db, `insert into main.cairn_build_ledger values ('dev', 'model.eng.report', '${old}', 'x'), ('dev', 'model.eng.regional', 'not json', 'x'), ('prod', 'model.eng.priced', '${old.replace('2000', '2999')}', 'x')`);
    await queryDuckdb(db, "delete from main.cairn_build_ledger where node_id = 'model.eng.regional' and entry <> 'not json'");
    freshCheckout(dir);
    const again = await counted(dir);
    expect(again.warnings).toEqual([]);
    expect(again.ran).toEqual(['regional']);
  });

  it('a bad setting is a clear error naming dbt_project.yml and its line', async () => {
    for (const [setting, message, line] of [
      ['build_ledger: {store: engin}\n', /`build_ledger\.store` must be `file` .* or `engine` .*, not `engin`/, 1],
      ['build_ledger:\n  stor: engine\n', /`build_ledger:` has an unknown key `stor`/, 2],
      ['build_ledger: engine\n', /`build_ledger:` must be a mapping/, 1],
      ['build_ledger:\n  store: engine\n  table: "a.b"\n', /`build_ledger\.table` must be a plain table name/, 3],
    ] as const) {
      const dir = project(setting);
      const err = await build({ projectDir: dir, profilesDir: dir, adapters: duckdbProvider, changedOnly: true }).catch((e: unknown) => e);
      expect(isCairnError(err)).toBe(true);
      const e = err as { message: string; location: { file?: string; line?: number }; hint?: string };
      expect(e.message).toMatch(message);
      expect(e.location.file).toBe('dbt_project.yml');
      expect(e.location.line).toBe(line + PROJECT('eng', '').split('\n').length - 1);
      if (setting.includes('engin}')) expect(e.hint).toBe('did you mean `engine`?');
    }
    const dir = project('build_ledger: {store: engine, table: report}\n');
    const err = await build({ projectDir: dir, profilesDir: dir, adapters: duckdbProvider }).catch((e: unknown) => e);
    expect(isCairnError(err) && err.message).toBe('the build ledger table main.report is also the relation of model `report`');
  });
});
