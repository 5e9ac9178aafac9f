// What exists in Dremio's namespace, and making containers exist before CTAS / CREATE VIEW:
// spaces and their folders through the REST catalog API; folders of Iceberg catalogs through
// `CREATE FOLDER IF NOT EXISTS` per level; filesystem sources make directories on write.
// "Already exists" (409 on Software, 400 on Cloud) is success.
import type { Column, RelationKind } from '../adapter.js';
import type { DremioClient } from './dremio-client.js';
import { DremioError, dremioMessage } from './dremio-errors.js';
import { dremioDialect } from './dremio-dialect.js';
import { api } from './dremio-paths.js';

const FILESYSTEM_SOURCES = new Set(['NAS', 'S3', 'HDFS', 'ADLS', 'AZURE_STORAGE', 'GCS', 'MAPRFS', 'HIVE', 'HIVE3']);
const ALREADY = /already exists/i;

export interface CatalogEntity {
  entityType: string;
  id: string;
  type?: string;
  path?: string[];
  tag?: string;
  fields?: Array<{ name: string; type: { name: string; precision?: number; scale?: number } }>;
}

export class DremioCatalog {
  private made = new Map<string, Promise<void>>();

  constructor(private readonly client: DremioClient, private readonly runSql: (sql: string) => Promise<unknown>) {}

  async lookup(path: readonly string[], signal?: AbortSignal): Promise<CatalogEntity | null> {
    const r = await this.client.call<CatalogEntity>('GET', api.catalogByPath(path), 'catalog lookup', { idempotent: true, accept: [404], signal });
    return r.status === 404 ? null : r.body;
  }

  async kind(path: readonly string[]): Promise<RelationKind | null> {
    const e = await this.lookup(path);
    if (!e || e.entityType !== 'dataset') return null;
    return e.type === 'VIRTUAL_DATASET' ? 'view' : 'table';
  }

  async columns(path: readonly string[]): Promise<Column[]> {
    const e = await this.lookup(path);
    return (e?.fields ?? []).map((f) => ({ name: f.name, type: f.type.name === 'DECIMAL' && f.type.precision !== undefined ? `DECIMAL(${f.type.precision},${f.type.scale ?? 0})` : f.type.name }));
  }

  /** Makes [root, ...folders] exist; one attempt per container and run. */
  ensure(container: readonly string[]): Promise<void> {
    const key = JSON.stringify(container);
    let p = this.made.get(key);
    if (!p) {
      p = this.doEnsure(container);
      this.made.set(key, p);
      p.catch(() => this.made.delete(key));
    }
    return p;
  }

  private async doEnsure(container: readonly string[]): Promise<void> {
    const [root, ...folders] = container;
    if (!root) return;
    let rootEntity = await this.lookup([root]);
    if (!rootEntity) {
      if (root.startsWith('@')) throw new DremioError('CONFIG_INVALID', `home space \`${root}\` does not exist in Dremio`, false);
      await this.create({ entityType: 'space', name: root });
      rootEntity = { entityType: 'space', id: '' };
    }
    if (rootEntity.entityType === 'source' && FILESYSTEM_SOURCES.has(String(rootEntity.type).toUpperCase())) return;
    for (let i = 1; i <= folders.length; i++) {
      const path = [root, ...folders.slice(0, i)];
      if (rootEntity.entityType === 'source') {
        await this.runSql(`CREATE FOLDER IF NOT EXISTS ${dremioDialect.renderPath(path)}`);
      } else {
        await this.create({ entityType: 'folder', path });
      }
    }
  }

  private async create(body: Record<string, unknown>): Promise<void> {
    const r = await this.client.call('POST', api.catalog(), 'catalog create', { body, idempotent: false, accept: [400, 409] });
    if (r.status === 200) return;
    const msg = dremioMessage(r.body, '');
    if (r.status === 409 || ALREADY.test(msg) || /Can not create a folder inside a \[SOURCE\]/i.test(msg)) return;
    throw new DremioError('SQL_ERROR', `cannot create Dremio ${String(body.entityType)} ${JSON.stringify(body.path ?? body.name)} (HTTP ${r.status}): ${msg}`, false);
  }
}
