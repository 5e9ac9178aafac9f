// Where nodes live on Dremio: tables in the object-storage source, views in the space, or both in one
// catalog; a view's `schema` and a table's `root_path` appended to the target's folders (dbt-dremio
// 1.10.1); alias for both kinds.
import { describe, expect, it } from 'vitest';
import { dremioRelationFor, folderList, ignoredTableConfigs, joinFolders, relationPath } from '../adapters/dremio/dremio-names.js';
import type { Target } from '../adapters/adapter.js';

const target: Target = { name: 'dev', type: 'dremio', schema: 'main', threads: 1, object_storage_source: 'lake', object_storage_path: 'bronze/dev', dremio_space: 'analytics', dremio_space_folder: 'dev' };
const req = (materialized: string, config: Record<string, unknown> = {}, alias?: string) => ({ name: 'orders', resourceType: 'model', materialized, schema: 'main', alias, config });

describe('Dremio relation names', () => {
  it('puts tables in the source and views in the space', () => {
    expect(dremioRelationFor(req('table'), target)).toEqual({ database: 'lake', schema: 'bronze/dev', identifier: 'orders' });
    expect(dremioRelationFor(req('incremental'), target)).toEqual({ database: 'lake', schema: 'bronze/dev', identifier: 'orders' });
    expect(dremioRelationFor(req('view'), target)).toEqual({ database: 'analytics', schema: 'dev', identifier: 'orders' });
  });

  it('appends `schema` to a view\'s folders and `root_path` to a table\'s (dbt-dremio 1.10.1), and honours alias for both', () => {
    expect(dremioRelationFor(req('table', { root_path: 'finance' }, 'orders_v2'), target)).toEqual({ database: 'lake', schema: 'bronze/dev/finance', identifier: 'orders_v2' });
    expect(dremioRelationFor(req('incremental', { object_storage_path: 'a/b.c' }), target)).toEqual({ database: 'lake', schema: 'bronze/dev/a/b/c', identifier: 'orders' });
    expect(dremioRelationFor(req('view', { schema: '"samples.dremio.com"' }), target)).toEqual({ database: 'analytics', schema: 'dev/"samples.dremio.com"', identifier: 'orders' });
    // The other kind's configs do not move it: a folder-level +schema moves the folder's views only.
    expect(dremioRelationFor(req('table', { schema: 'finance', database: 'elsewhere' }), target)).toEqual({ database: 'lake', schema: 'bronze/dev', identifier: 'orders' });
    expect(dremioRelationFor(req('view', { root_path: 'finance', datalake: 'lake2' }), target)).toEqual({ database: 'analytics', schema: 'dev', identifier: 'orders' });
    expect(dremioRelationFor(req('table', { datalake: 'lake2' }), target)).toEqual({ database: 'lake2', schema: 'bronze/dev', identifier: 'orders' });
    expect(dremioRelationFor(req('view', { database: 'finance_space' }), target)).toEqual({ database: 'finance_space', schema: 'dev', identifier: 'orders' });
  });

  it('stored test failures go to dbt_test__audit (or the test\'s own schema); a legacy snapshot target_schema is the whole path', () => {
    const test = (config: Record<string, unknown>) => dremioRelationFor({ ...req('test', config), resourceType: 'test' }, target);
    expect(test({})).toEqual({ database: 'lake', schema: 'bronze/dev/dbt_test__audit', identifier: 'orders' });
    expect(test({ schema: 'audit' })).toEqual({ database: 'lake', schema: 'bronze/dev/audit', identifier: 'orders' });
    const snap = (config: Record<string, unknown>) => dremioRelationFor({ ...req('snapshot', config), resourceType: 'snapshot' }, target);
    expect(snap({ target_schema: 'snapshots' })).toEqual({ database: 'lake', schema: 'snapshots', identifier: 'orders' });
    expect(snap({ root_path: 'snaps' })).toEqual({ database: 'lake', schema: 'bronze/dev/snaps', identifier: 'orders' });
  });

  it('one warning names the tables whose schema/database config Dremio placement ignores', () => {
    const node = (name: string, materialized: string, config: Record<string, unknown>, resourceType = 'model') => ({ name, resourceType, materialized, config });
    expect(ignoredTableConfigs([node('v', 'view', { schema: 's' }), node('t', 'table', { root_path: 'x' }), node('e', 'ephemeral', { schema: 's' })])).toBeUndefined();
    const w = ignoredTableConfigs([node('a', 'table', { schema: 's' }), node('b', 'incremental', { database: 'd' }), node('c', 'seed', { schema: 's' }, 'seed'), node('d', 'snapshot', { schema: 's' }, 'snapshot'), node('v', 'view', { schema: 's' })]);
    expect(w).toMatch(/^4 Dremio tables \(a, b, c and 1 more\) set `schema`\/`database`, which place views only on Dremio \(as in dbt-dremio 1\.10\.1\)/);
    expect(w).toMatch(/set `root_path` \(folders under object_storage_path\) or `datalake`/);
  });

  it("reads folders as dbt-dremio does: `.` or `/` separate, a double-quoted part stays whole; Relation.schema splits back the same", () => {
    expect(folderList('marts.v1')).toEqual(['marts', 'v1']);
    expect(folderList('raw/"v1.0"."x""y"')).toEqual(['raw', 'v1.0', 'x"y']);
    expect(folderList(['a.b', 'c'])).toEqual(['a.b', 'c']);
    expect(folderList('no_schema')).toEqual([]);
    for (const f of [['a.b', 'c'], ['x"y', 'z/w'], ['plain']]) expect(folderList(joinFolders(f))).toEqual(f);
    const t: Target = { ...target, object_storage_path: 'dbtdremios3.test_1', dremio_space_folder: 'marts.finance' };
    expect(relationPath(dremioRelationFor(req('table'), t))).toEqual(['lake', 'dbtdremios3', 'test_1', 'orders']);
    expect(relationPath(dremioRelationFor(req('view', { schema: '"samples.dremio.com"' }), t))).toEqual(['analytics', 'marts', 'finance', 'samples.dremio.com', 'orders']);
  });

  it('uses one catalog + folder for both kinds', () => {
    const cat: Target = { name: 'dev', type: 'dremio', schema: 'main', threads: 1, catalog: 'polaris', folder: 'sales' };
    expect(dremioRelationFor(req('table'), cat)).toEqual({ database: 'polaris', schema: 'sales', identifier: 'orders' });
    expect(dremioRelationFor(req('view'), cat)).toEqual({ database: 'polaris', schema: 'sales', identifier: 'orders' });
  });

  it('a table with no object_storage_source is a clear error', () => {
    const t: Target = { name: 'dev', type: 'dremio', schema: 'main', threads: 1, dremio_space: 'analytics' };
    expect(() => dremioRelationFor(req('table'), t)).toThrow(/target dev has no object_storage_source/);
  });
});
