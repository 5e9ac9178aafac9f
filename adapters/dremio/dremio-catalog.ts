// What exists in Dremio's namespace, and making containers exist before CTAS / CREATE VIEW.
// Where folders come from depends on the root (dremio-oss CatalogServiceHelper.createFolder,
// CreateFolderHandler; dbt-dremio's create_folder):
// - spaces and homes: the REST catalog API, one level at a time;
// - versioned catalogs (NESSIE / ARCTIC): `CREATE FOLDER IF NOT EXISTS` per level, on the statement's
//   branch (REST folder creation there always lands on the default branch);
// - file-system sources (NAS, S3, ..., and `$scratch`): nothing, the directories appear when a table is written;
// - any other source (an Iceberg REST catalog, an unknown type): the REST API, where Dremio answers
//   "Can not create a folder inside a [SOURCE]", which is ignored as dbt-dremio does.
// "Already exists" (409 on Software, 400 on Cloud) is success.
import type { Column, RelationKind } from '../adapter.js';
import type { DremioClient } from './dremio-client.js';
import { DremioError, dremioMessage } from './dremio-errors.js';
import { dremioDialect } from './dremio-dialect.js';
import { api } from './dremio-paths.js';

export const FILESYSTEM_SOURCES = new Set(['INTERNAL', 'NAS', 'S3', 'HDFS', 'ADL', 'ADLS', 'AZURE_STORAGE', 'GCS', 'MAPRFS', 'PDFS', 'HIVE', 'HIVE3']);
export const VERSIONED_SOURCES = new Set(['NESSIE', 'ARCTIC']);
const ALREADY = /already exists/i;
const NO_FOLDERS_IN_SOURCE = /Can not create a folder inside a \[SOURCE\]/i;

export interface CatalogEntity {
  entityType: string;
  id: string;
  type?: string;
  path?: string[];
  tag?: string;
  /** Datasets of file-system sources: the file format (`Iceberg`, `Parquet`, ...). */
  format?: { type?: string };
  fields?: Array<{ name: string; type: { name: string; precision?: number; scale?: number } }>;
}

export class DremioCatalog {
  private made = new Map<string, Promise<void>>();
  private roots = new Map<string, Promise<CatalogEntity | null>>();
  private rootTypes = new Map<string, string>();
  /** File format of each table a `kind()` lookup saw (so the incremental check after it costs no call). */
  private formats = new Map<string, string>();

  /** `branchFor(path)`: the branch a path of a versioned catalog is read on now (undefined: default branch). */
  constructor(
    private readonly client: DremioClient,
    private readonly runSql: (sql: string) => Promise<unknown>,
    private readonly branchFor: (path: readonly string[]) => string | undefined = () => undefined,
  ) {}

  async lookup(path: readonly string[], signal?: AbortSignal): Promise<CatalogEntity | null> {
    const branch = path.length > 1 ? this.branchFor(path) : undefined;
    const r = await this.client.call<CatalogEntity>('GET', api.catalogByPath(path, branch), 'catalog lookup', { idempotent: true, accept: [404], signal });
    return r.status === 404 ? null : r.body;
  }

  /** Type of a root already looked up (`NESSIE`, `NAS`, `space`, ...); undefined when not known yet. */
  knownRootType(name: string): string | undefined {
    return this.rootTypes.get(name.toLowerCase());
  }

  /** The root (source, space, home) entity, looked up once per run. */
  root(name: string): Promise<CatalogEntity | null> {
    let p = this.roots.get(name);
    if (!p) {
      p = this.lookup([name]).then((e) => {
        if (e) this.rootTypes.set(name.toLowerCase(), e.entityType === 'source' ? String(e.type ?? '').toUpperCase() : e.entityType);
        return e;
      });
      this.roots.set(name, p);
      p.catch(() => this.roots.delete(name));
    }
    return p;
  }

  async kind(path: readonly string[]): Promise<RelationKind | null> {
    const e = await this.lookup(path);
    if (!e || e.entityType !== 'dataset') return null;
    if (e.type === 'VIRTUAL_DATASET') return 'view';
    this.formats.set(this.key(path), e.format?.type ?? '');
    return 'table';
  }

  /** A table's file format (`Iceberg`, `Parquet`; '' when Dremio gives none, as for catalog tables); null when absent. */
  async tableFormat(path: readonly string[]): Promise<string | null> {
    const k = this.key(path);
    const seen = this.formats.get(k);
    if (seen !== undefined) {
      this.formats.delete(k);
      return seen;
    }
    return (await this.kind(path)) === 'table' ? this.tableFormat(path) : null;
  }

  async columns(path: readonly string[]): Promise<Column[]> {
    const e = await this.lookup(path);
    return (e?.fields ?? []).map((f) => ({ name: f.name, type: f.type.name === 'DECIMAL' && f.type.precision !== undefined ? `DECIMAL(${f.type.precision},${f.type.scale ?? 0})` : f.type.name }));
  }

  /** Makes [root, ...folders] exist; one attempt per container, branch and run. */
  ensure(container: readonly string[]): Promise<void> {
    const key = this.key(container);
    let p = this.made.get(key);
    if (!p) {
      p = this.doEnsure(container);
      this.made.set(key, p);
      p.catch(() => this.made.delete(key));
    }
    return p;
  }

  private key(path: readonly string[]): string {
    return JSON.stringify([this.branchFor(path) ?? '', ...path]);
  }

  private async doEnsure(container: readonly string[]): Promise<void> {
    const [root, ...folders] = container;
    if (!root) return;
    let rootEntity = await this.root(root);
    if (!rootEntity) {
      if (root.startsWith('@')) throw new DremioError('CONFIG_INVALID', `home space \`${root}\` does not exist in Dremio`, false);
      await this.create({ entityType: 'space', name: root });
      rootEntity = { entityType: 'space', id: '' };
      this.roots.set(root, Promise.resolve(rootEntity));
    }
    const type = String(rootEntity.type ?? '').toUpperCase();
    const isSource = rootEntity.entityType === 'source';
    if (isSource && FILESYSTEM_SOURCES.has(type)) return;
    for (let i = 1; i <= folders.length; i++) {
      const path = [root, ...folders.slice(0, i)];
      if (isSource && VERSIONED_SOURCES.has(type)) {
        await this.runSql(`CREATE FOLDER IF NOT EXISTS ${dremioDialect.renderPath(path)}`);
      } else if ((await this.create({ entityType: 'folder', path })) === 'source-refused') {
        // This source makes no folders through the API (nor deeper ones): they exist or come with the table.
        return;
      }
    }
  }

  private async create(body: Record<string, unknown>): Promise<'created' | 'exists' | 'source-refused'> {
    const r = await this.client.call('POST', api.catalog(), 'catalog create', { body, idempotent: false, accept: [400, 409] });
    if (r.status === 200) return 'created';
    const msg = dremioMessage(r.body, '');
    if (r.status === 409 || ALREADY.test(msg)) return 'exists';
    if (NO_FOLDERS_IN_SOURCE.test(msg)) return 'source-refused';
    throw new DremioError('SQL_ERROR', `cannot create Dremio ${String(body.entityType)} ${JSON.stringify(body.path ?? body.name)} (HTTP ${r.status}): ${msg}`, false);
  }
}
