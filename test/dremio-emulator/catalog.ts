// The emulator's catalog: containers (sources, spaces, homes, folders) live here; datasets (tables and
// views) live in DuckDB and are mirrored here with stable ids and tags, so the REST catalog and SQL agree.
import { randomBytes, randomUUID } from 'node:crypto';
import { pathKey, displayPath } from './namespace.js';
import { noteWrite } from './table-snapshots.js';

export type ContainerKind = 'source' | 'space' | 'home' | 'folder';
/** `filesystem`: object storage, CTAS makes directories at any depth, no views. `catalog`: Nessie/Iceberg
 *  catalog, tables and views, folders must exist. */
export type SourceFlavor = 'filesystem' | 'catalog';

export interface Container {
  readonly kind: ContainerKind;
  readonly id: string;
  readonly path: readonly string[];
  tag: string;
  readonly createdAt: number;
  readonly flavor?: SourceFlavor;
}

export interface Dataset {
  readonly id: string;
  readonly path: readonly string[];
  readonly type: 'TABLE' | 'VIEW';
  tag: string;
  readonly createdAt: number;
}

export const newTag = (): string => randomBytes(8).toString('base64');

export class Catalog {
  private readonly containers = new Map<string, Container>();
  private readonly datasets = new Map<string, Dataset>();

  constructor(sources: readonly string[], catalogs: readonly string[], spaces: readonly string[], users: readonly string[]) {
    for (const s of ['$scratch', ...sources]) this.add('source', [s], 'filesystem');
    for (const s of catalogs) this.add('source', [s], 'catalog');
    for (const s of spaces) this.add('space', [s]);
    for (const u of users) this.add('home', [`@${u}`]);
  }

  add(kind: ContainerKind, path: readonly string[], flavor?: SourceFlavor): Container {
    const c: Container = { kind, id: randomUUID(), path: [...path], tag: newTag(), createdAt: Date.now(), ...(flavor ? { flavor } : {}) };
    this.containers.set(pathKey(path), c);
    return c;
  }

  container(path: readonly string[]): Container | undefined {
    return this.containers.get(pathKey(path));
  }

  dataset(path: readonly string[]): Dataset | undefined {
    return this.datasets.get(pathKey(path));
  }

  /** The root (source/space/home) of a path. */
  root(path: readonly string[]): Container | undefined {
    return path.length === 0 ? undefined : this.container(path.slice(0, 1));
  }

  byId(id: string): Container | Dataset | undefined {
    for (const c of this.containers.values()) if (c.id === id) return c;
    for (const d of this.datasets.values()) if (d.id === id) return d;
    return undefined;
  }

  allContainers(): Container[] {
    return [...this.containers.values()];
  }

  roots(): Container[] {
    return [...this.containers.values()].filter((c) => c.path.length === 1);
  }

  childrenOf(path: readonly string[]): Array<Container | Dataset> {
    const isChild = (p: readonly string[]): boolean => p.length === path.length + 1 && pathKey(p.slice(0, -1)) === pathKey(path);
    return [...[...this.containers.values()].filter((c) => isChild(c.path)), ...[...this.datasets.values()].filter((d) => isChild(d.path))];
  }

  /** Removes a container and everything below it; returns the datasets that were below it. */
  removeTree(path: readonly string[]): Dataset[] {
    const prefix = pathKey(path);
    const under = (k: string): boolean => k === prefix || k.startsWith(prefix + '\u0000');
    for (const k of [...this.containers.keys()]) if (under(k)) this.containers.delete(k);
    const gone: Dataset[] = [];
    for (const [k, d] of [...this.datasets]) if (under(k)) { this.datasets.delete(k); gone.push(d); }
    return gone;
  }

  touch(path: readonly string[]): void {
    const d = this.dataset(path);
    if (d) d.tag = newTag();
    if (d) noteWrite(d); // a new Iceberg snapshot (table-snapshots.ts)
  }

  /**
   * Reconciles the dataset mirror with what DuckDB holds. New datasets get a new id (so drop + create
   * yields a new id, as in Dremio); datasets inside filesystem sources imply their folders (directories).
   */
  sync(present: ReadonlyArray<{ path: string[]; type: 'TABLE' | 'VIEW' }>): void {
    const seen = new Set<string>();
    for (const p of present) {
      const k = pathKey(p.path);
      seen.add(k);
      const old = this.datasets.get(k);
      if (!old || old.type !== p.type) {
        this.datasets.set(k, { id: randomUUID(), path: p.path, type: p.type, tag: newTag(), createdAt: Date.now() });
      }
      const root = this.root(p.path);
      if (root?.kind === 'source' && root.flavor === 'filesystem') {
        for (let i = 2; i < p.path.length; i++) {
          const folder = p.path.slice(0, i);
          if (!this.container(folder)) this.add('folder', folder);
        }
      }
    }
    for (const k of [...this.datasets.keys()]) if (!seen.has(k)) this.datasets.delete(k);
  }

  /** Where a new dataset of this type may be created; returns a Dremio error detail or undefined. */
  checkCreate(path: readonly string[], type: 'TABLE' | 'VIEW'): string | undefined {
    const parent = path.slice(0, -1);
    const root = this.root(path);
    if (!root) return `Schema [${displayPath(parent)}] is not valid with respect to either root schema or current default schema.`;
    if (type === 'TABLE' && (root.kind === 'space' || root.kind === 'home')) {
      return `Unable to create table [${displayPath(path)}]. Schema [${displayPath(parent)}] is immutable for this user.`;
    }
    if (type === 'VIEW' && root.kind === 'source' && root.flavor === 'filesystem') {
      return `Unable to create view [${displayPath(path)}]. Schema [${displayPath(parent)}] is immutable for this user.`;
    }
    // Filesystem sources create directories on demand; spaces and catalogs need existing folders.
    if (root.flavor !== 'filesystem' && !this.container(parent)) {
      return `Schema [${displayPath(parent)}] is not valid with respect to either root schema or current default schema.`;
    }
    return undefined;
  }
}

export const isContainer = (e: Container | Dataset): e is Container => 'kind' in e;
