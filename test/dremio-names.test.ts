// Where nodes live on Dremio: tables in the object-storage source, views in the space, or both in one
// catalog; custom schemas appended to the target's folders; alias for both kinds.
import { describe, expect, it } from 'vitest';
import { dremioRelationFor } from '../adapters/dremio/dremio-names.js';
import type { Target } from '../adapters/adapter.js';

const target: Target = { name: 'dev', type: 'dremio', schema: 'main', threads: 1, object_storage_source: 'lake', object_storage_path: 'bronze/dev', dremio_space: 'analytics', dremio_space_folder: 'dev' };
const req = (materialized: string, config: Record<string, unknown> = {}, alias?: string) => ({ name: 'orders', resourceType: 'model', materialized, schema: 'main', alias, config });

describe('Dremio relation names', () => {
  it('puts tables in the source and views in the space', () => {
    expect(dremioRelationFor(req('table'), target)).toEqual({ database: 'lake', schema: 'bronze/dev', identifier: 'orders' });
    expect(dremioRelationFor(req('incremental'), target)).toEqual({ database: 'lake', schema: 'bronze/dev', identifier: 'orders' });
    expect(dremioRelationFor(req('view'), target)).toEqual({ database: 'analytics', schema: 'dev', identifier: 'orders' });
  });

  it('appends a custom schema to the target folders and honours alias for tables too', () => {
    expect(dremioRelationFor(req('table', { schema: 'finance' }, 'orders_v2'), target)).toEqual({ database: 'lake', schema: 'bronze/dev/finance', identifier: 'orders_v2' });
    expect(dremioRelationFor(req('view', { schema: 'samples.dremio.com' }), target)).toEqual({ database: 'analytics', schema: 'dev/samples.dremio.com', identifier: 'orders' });
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
