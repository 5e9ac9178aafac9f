// Slim CI: state:modified on rendered SQL, --defer to prod relations, clone, and the --state errors.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, makeProject } from './helpers/project.js';
import { queryDuckdb } from './helpers/duckdb.js';

const files = {
  'dbt_project.yml': `name: shop
profile: shop
vars:
  min_amount: 0
  unused_var: 1
models:
  shop:
    +materialized: table
`,
  'profiles.yml': `shop:
  target: dev
  outputs:
    dev: {type: duckdb, path: shop.duckdb, schema: dev, threads: 4}
    prod: {type: duckdb, path: shop.duckdb, schema: prod, threads: 4}
`,
  'macros/m.sql': `{% macro cents(c) %}({{ c }} * 100){% endmacro %}
{% macro label(x) %}upper({{ x }}){% endmacro %}
`,
  'models/raw.sql': "select 1 as id, 10 as amount, 'a' as name union all select 2, 20, 'b' union all select 3, 30, 'c'",
  'models/filtered.sql': "select * from {{ ref('raw') }} where amount > {{ var('min_amount') }}",
  'models/priced.sql': "select id, {{ cents('amount') }} as cents from {{ ref('filtered') }}",
  'models/report.sql': "select count(*) as n from {{ ref('priced') }}",
  'models/labels.sql': "select id, {{ label('name') }} as n from {{ ref('raw') }}",
  'models/label_count.sql': "select count(*) as n from {{ ref('labels') }}",
  'models/tiers.sql': "select id, amount > 15 as big from {{ ref('raw') }}",
  // Reads a var that never reaches the SQL: changing it must mark nothing.
  'models/regional.sql': "select id from {{ ref('raw') }} where '{{ env_var('CAIRN_TEST_REGION', 'eu') }}' = 'eu'",
  'models/untouched.sql': "{% set _unused = var('unused_var') %}select id from {{ ref('raw') }}",
};

const ls = (dir: string, sel: string, extra: string[] = [], env: Record<string, string> = {}) => {
  const r = cli(['ls', '--select', sel, '--state', 'prod-target', '--output', 'name', ...extra], { cwd: dir, env: { CAIRN_TEST_REGION: undefined, ...env } });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim().split('\n').filter(Boolean).sort();
};

describe('state comparison and deferral', { timeout: 180_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = makeProject(files);
    const prod = cli(['build', '--target', 'prod'], { cwd: dir });
    expect(prod.code, prod.stdout + prod.stderr).toBe(0);
    cpSync(join(dir, 'target'), join(dir, 'prod-target'), { recursive: true });
  }, 120_000);

  it('an unchanged project (and a var that changes no SQL) is not modified; every node is in the state', () => {
    expect(ls(dir, 'state:modified', ['--vars', '{unused_var: 42}'])).toEqual([]);
    expect(ls(dir, 'state:new')).toEqual([]);
    expect(ls(dir, 'result:success')).toEqual(['filtered', 'label_count', 'labels', 'priced', 'raw', 'regional', 'report', 'tiers', 'untouched']);
    expect(ls(dir, 'result:error')).toEqual([]);
  });

  it('an env var marks exactly the models whose SQL it changes', () => {
    expect(ls(dir, 'state:modified', [], { CAIRN_TEST_REGION: 'eu' })).toEqual([]);
    expect(ls(dir, 'state:modified', [], { CAIRN_TEST_REGION: 'us' })).toEqual(['regional']);
  });

  it('after changing one model, one var and one macro, state:modified+ is exactly their descendants, and --defer builds only those against prod', async () => {
    writeFileSync(join(dir, 'models/tiers.sql'), "select id, amount > 25 as big from {{ ref('raw') }}");
    writeFileSync(join(dir, 'macros/m.sql'), files['macros/m.sql'].replace('upper(', 'lower('));
    const vars = ['--vars', '{min_amount: 15, unused_var: 7}'];
    expect(ls(dir, 'state:modified', vars)).toEqual(['filtered', 'labels', 'tiers']);
    expect(ls(dir, 'state:modified+', vars)).toEqual(['filtered', 'label_count', 'labels', 'priced', 'report', 'tiers']);
    expect(ls(dir, 'state:modified.macros', vars)).toEqual(['labels']);
    expect(ls(dir, 'state:modified.body', vars)).toEqual(['filtered', 'labels', 'tiers']);
    expect(ls(dir, 'state:modified.configs', vars)).toEqual([]);

    const ci = cli(['build', '--select', 'state:modified+', '--defer', '--state', 'prod-target', ...vars], { cwd: dir });
    expect(ci.code, ci.stdout + ci.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8')).results.map((r: { unique_id: string }) => r.unique_id.split('.').pop()).sort();
    expect(results).toEqual(['filtered', 'label_count', 'labels', 'priced', 'report', 'tiers']);
    // Built from prod's relations: the build ledger must not vouch for them (prod's own build is in it).
    const ledger = JSON.parse(readFileSync(join(dir, 'target/build_ledger.json'), 'utf8'));
    expect(Object.keys(ledger.targets.dev ?? {})).toEqual([]);
    expect(Object.keys(ledger.targets.prod)).toContain('model.shop.filtered');
    expect(cli(['build', '--select', 'report', '--defer', '--state', 'prod-target', '--changed-only', ...vars], { cwd: dir }).stdout)
      .toContain('--changed-only is ignored with --defer: every selected node is built, and none is recorded as built');
    expect(readFileSync(join(dir, 'target/compiled/shop/models/filtered.sql'), 'utf8')).toContain('from "prod"."raw" where amount > 15');
    // Built in dev from prod's raw; raw itself never built in dev.
    const db = join(dir, 'shop.duckdb');
    expect(await queryDuckdb(db, "select table_name from information_schema.tables where table_schema = 'dev' order by 1")).toEqual(
      ['filtered', 'label_count', 'labels', 'priced', 'report', 'tiers'].map((t) => ({ table_name: t })),
    );
    expect(await queryDuckdb(db, 'select n from dev.report')).toEqual([{ n: 2 }]);
    expect(await queryDuckdb(db, 'select n from dev.labels order by id')).toEqual([{ n: 'a' }, { n: 'b' }, { n: 'c' }]);
    // compile --defer shows the same resolution: raw is not built in dev, so it reads prod's.
    const comp = cli(['compile', '--select', 'untouched', '--defer', '--state', 'prod-target', '--inline'], { cwd: dir });
    expect(comp.code, comp.stderr).toBe(0);
    expect(comp.stdout).toContain('from "prod"."raw"');
  });

  it('clone creates views in the current target over the state relations', async () => {
    const r = cli(['clone', '--state', 'prod-target', '--select', 'raw', 'untouched'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('cloned raw: "dev"."raw" -> "prod"."raw"');
    const db = join(dir, 'shop.duckdb');
    expect(await queryDuckdb(db, "select table_name, table_type from information_schema.tables where table_schema = 'dev' and table_name in ('raw', 'untouched') order by 1")).toEqual([
      { table_name: 'raw', table_type: 'VIEW' }, { table_name: 'untouched', table_type: 'VIEW' },
    ]);
    expect((await queryDuckdb(db, 'select count(*) as n from dev.raw'))[0]!.n).toBe(3);
  });
});

describe('bad state input', { timeout: 180_000 }, () => {
  const dir = makeProject({ ...files, 'empty-state/.keep': '' });

  it('--state at a folder without a manifest', () => {
    const r = cli(['ls', '--select', 'state:modified', '--state', 'empty-state'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/empty-state\/manifest\.json: the --state folder has no manifest\.json/);
    expect(r.stderr).toMatch(/hint: point --state at the target folder/);
  });

  it('--state with a manifest from an incompatible version', () => {
    mkdirSync(join(dir, 'old-state'), { recursive: true });
    writeFileSync(join(dir, 'old-state/manifest.json'), JSON.stringify({ metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/manifest/v11.json', dbt_version: '1.7.4' }, nodes: {} }));
    const r = cli(['ls', '--select', 'state:modified', '--state', 'old-state'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/manifest\.json was written by dbt 1\.7\.4 .*v11\.json.* cannot be compared/);
    expect(r.stderr).toMatch(/hint: rebuild the state with this cairn version/);
  });

  it('--defer without --state, and state: without --state', () => {
    const r = cli(['run', '--defer'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--defer needs --state/);
    const s = cli(['ls', '--select', 'state:modified'], { cwd: dir });
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/the `state:` selector needs --state/);
  });
});
