// A node read back from the parse snapshot (parse-snapshot.ts). What selection, the graph and
// compiling a dependent read is decoded up front (the head); the rest (SQL, docs, columns, ...) is
// decoded on first use. An invocation that compiles one model of 10,000 then decodes a handful of
// nodes whole: decoding every node cost ~0.15 s and as much again in garbage collection.
import type { Relation } from '../../adapters/adapter.js';
import type { ColumnInfo, NodeConfig, ProjectNode, RefCall, ResourceType } from '../project/types.js';

/** The fields decoded up front, in a node's usual key order. */
export const HEAD_KEYS = ['uniqueId', 'name', 'resourceType', 'packageName', 'originalFilePath', 'path', 'fqn', 'config', 'tags', 'dependsOn', 'relation'] as const;
/** The fields decoded on first use. */
export const REST_KEYS = ['rawCode', 'checksum', 'description', 'columns', 'meta', 'patchPath', 'refs', 'sources', 'extra'] as const;

/** The head as stored: its values in HEAD_KEYS order (no key names: ~40% fewer bytes to decode). */
export type Head = unknown[];
type Rest = Pick<ProjectNode, (typeof REST_KEYS)[number]>;

/** Where a node's rest is read from. */
export interface RestSource {
  read(offset: number, length: number): string;
}

export function splitNode(n: ProjectNode): [Head, Rest] {
  const rest = {} as Record<string, unknown>;
  for (const k of REST_KEYS) rest[k] = n[k];
  return [HEAD_KEYS.map((k) => n[k] ?? null), rest as Rest];
}

export class SnapshotNode implements ProjectNode {
  uniqueId: string;
  name: string;
  resourceType: ResourceType;
  packageName: string;
  originalFilePath: string;
  path: string;
  fqn: string[];
  config: NodeConfig;
  tags: string[];
  dependsOn: { nodes: string[]; macros: string[] };
  relation?: Relation;
  #source: RestSource | undefined;
  #offset: number;
  #length: number;
  #rest: Rest | undefined;

  /** True when the rest is read from a partial-parse cache entry (`{"path":..,"node":..}`). */
  #wrapped: boolean;

  constructor(head: Head, source: RestSource, offset: number, length: number, wrapped = false) {
    this.uniqueId = head[0] as string;
    this.name = head[1] as string;
    this.resourceType = head[2] as ResourceType;
    this.packageName = head[3] as string;
    this.originalFilePath = head[4] as string;
    this.path = head[5] as string;
    this.fqn = head[6] as string[];
    this.config = head[7] as NodeConfig;
    this.tags = head[8] as string[];
    this.dependsOn = head[9] as ProjectNode['dependsOn'];
    this.relation = (head[10] as Relation | null) ?? undefined;
    this.#source = source;
    this.#offset = offset;
    this.#length = length;
    this.#wrapped = wrapped;
  }

  get #r(): Rest {
    if (!this.#rest) {
      const value = JSON.parse(this.#source!.read(this.#offset, this.#length)) as Rest | { node: ProjectNode };
      this.#rest = this.#wrapped ? splitNode((value as { node: ProjectNode }).node)[1] : (value as Rest);
      this.#source = undefined;
    }
    return this.#rest;
  }

  get rawCode(): string { return this.#r.rawCode; }
  set rawCode(v: string) { this.#r.rawCode = v; }
  get checksum(): string { return this.#r.checksum; }
  set checksum(v: string) { this.#r.checksum = v; }
  get description(): string { return this.#r.description; }
  set description(v: string) { this.#r.description = v; }
  get columns(): Record<string, ColumnInfo> { return this.#r.columns; }
  set columns(v: Record<string, ColumnInfo>) { this.#r.columns = v; }
  get meta(): Record<string, unknown> { return this.#r.meta; }
  set meta(v: Record<string, unknown>) { this.#r.meta = v; }
  get patchPath(): string | undefined { return this.#r.patchPath; }
  set patchPath(v: string | undefined) { this.#r.patchPath = v; }
  get refs(): RefCall[] { return this.#r.refs; }
  set refs(v: RefCall[]) { this.#r.refs = v; }
  get sources(): Array<[string, string]> { return this.#r.sources; }
  set sources(v: Array<[string, string]>) { this.#r.sources = v; }
  get extra(): Record<string, unknown> | undefined { return this.#r.extra; }
  set extra(v: Record<string, unknown> | undefined) { this.#r.extra = v; }

  /** A plain node (JSON.stringify uses it; so should anything that copies a node with spread). */
  toJSON(): ProjectNode {
    return plainNode(this);
  }
}

/** Every field of a node as an own property, whatever kind of object holds it. */
export function plainNode(n: ProjectNode): ProjectNode {
  const out = {} as Record<string, unknown>;
  for (const k of HEAD_KEYS) if (n[k] !== undefined) out[k] = n[k];
  for (const k of REST_KEYS) if (n[k] !== undefined) out[k] = n[k];
  return out as unknown as ProjectNode;
}
