// Reflections are kept in memory only (nothing is materialised): enough for an adapter that creates
// or updates them over REST the way dbt-dremio does (POST, or PUT with the current tag).
import { randomUUID } from 'node:crypto';
import { newTag } from './catalog.js';

export type Reflection = Record<string, unknown> & { id: string; tag: string; datasetId: string; name: string };

export class ReflectionStore {
  private readonly items = new Map<string, Reflection>();

  list(datasetId?: string): Reflection[] {
    return [...this.items.values()].filter((r) => datasetId === undefined || r.datasetId === datasetId);
  }

  get(id: string): Reflection | undefined { return this.items.get(id); }

  create(body: Record<string, unknown>): Reflection {
    const now = new Date().toISOString();
    const r: Reflection = {
      ...body,
      entityType: 'reflection',
      id: randomUUID(),
      tag: newTag(),
      datasetId: String(body['datasetId']),
      name: String(body['name']),
      enabled: body['enabled'] ?? true,
      createdAt: now,
      updatedAt: now,
      currentSizeBytes: 0,
      totalSizeBytes: 0,
      status: { config: 'OK', refresh: 'SCHEDULED', availability: 'NONE', combinedStatus: 'CAN_ACCELERATE', failureCount: 0 },
    };
    this.items.set(r.id, r);
    return r;
  }

  /** Replaces the definition; the tag changes on every update, as Dremio's version tag does. */
  update(id: string, body: Record<string, unknown>): Reflection {
    const old = this.items.get(id)!;
    const r: Reflection = {
      ...old, ...body,
      id, datasetId: old.datasetId, name: String(body['name'] ?? old.name),
      tag: newTag(), createdAt: old['createdAt'], updatedAt: new Date().toISOString(), status: old['status'],
    };
    this.items.set(id, r);
    return r;
  }

  delete(id: string): boolean { return this.items.delete(id); }

  deleteForDataset(datasetId: string): void {
    for (const r of this.list(datasetId)) this.items.delete(r.id);
  }
}
