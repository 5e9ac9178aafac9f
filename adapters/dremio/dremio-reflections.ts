// Reflections through the REST API (raw and aggregation), idempotent: a reflection with the same
// name on the dataset is updated (with its tag), otherwise created.
import type { DremioCatalog } from './dremio-catalog.js';
import type { DremioClient } from './dremio-client.js';
import { DremioError } from './dremio-errors.js';
import { api } from './dremio-paths.js';
import type { MeasureField } from './dremio-reflection-measures.js';

export interface ReflectionSpec {
  name: string;
  type: 'RAW' | 'AGGREGATION';
  dataset: string[];
  display?: string[];
  dimensions?: string[];
  measures?: string[];
  /** Measure columns with their computations (dremio-reflection-measures.ts); `measures` alone get SUM + COUNT. */
  measureFields?: MeasureField[];
  partitionBy?: string[];
  localSortBy?: string[];
  distributionBy?: string[];
  enabled?: boolean;
}

interface Reflection { id: string; tag: string; name: string }

const fields = (names: string[] | undefined) => (names ?? []).map((name) => ({ name }));

export function reflectionBody(spec: ReflectionSpec, datasetId: string): Record<string, unknown> {
  return {
    type: spec.type,
    name: spec.name,
    datasetId,
    enabled: spec.enabled ?? true,
    ...(spec.type === 'RAW' ? { displayFields: fields(spec.display) } : {
      dimensionFields: fields(spec.dimensions),
      measureFields: spec.measureFields ?? (spec.measures ?? []).map((name) => ({ name, measureTypeList: ['SUM', 'COUNT'] })),
    }),
    partitionFields: fields(spec.partitionBy),
    sortFields: fields(spec.localSortBy),
    distributionFields: fields(spec.distributionBy),
    partitionDistributionStrategy: 'CONSOLIDATED',
  };
}

export class DremioReflections {
  constructor(private readonly client: DremioClient, private readonly catalog: DremioCatalog) {}

  async upsert(spec: ReflectionSpec, signal?: AbortSignal): Promise<{ id: string; created: boolean }> {
    const ds = await this.catalog.lookup(spec.dataset, signal);
    if (!ds || ds.entityType !== 'dataset') {
      throw new DremioError('SQL_ERROR', `reflection ${spec.name}: dataset ${spec.dataset.join('.')} does not exist in Dremio`, false, { hint: 'build the model the reflection is on first' });
    }
    const list = await this.client.call<{ data: Reflection[] }>('GET', api.datasetReflections(ds.id), 'reflection list', { idempotent: true, signal });
    const existing = (list.body?.data ?? []).find((r) => r.name === spec.name);
    const body = reflectionBody(spec, ds.id);
    if (existing) {
      const r = await this.client.call<Reflection>('PUT', api.reflection(existing.id), 'reflection update', { body: { ...body, tag: existing.tag }, idempotent: true, signal });
      return { id: r.body.id, created: false };
    }
    const r = await this.client.call<Reflection>('POST', api.reflection(), 'reflection create', { body, idempotent: false, signal });
    return { id: r.body.id, created: true };
  }
}
