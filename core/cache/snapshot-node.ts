// A node read back from the parse snapshot (parse-snapshot.ts). Its id, name and kind are there up
// front; the rest is decoded when first read, in three parts: its fqn and dependencies (from the
// snapshot's index), the middle (package, paths, config, tags, relation: one small JSON array), and
// its rest (SQL, docs, columns: read from disk). An invocation that compiles one model of 10,000
// decodes a handful of nodes whole: decoding every node cost ~0.2 s and as much again in garbage
// collection.
import type { Relation } from '../../adapters/adapter.js';
import { CairnError, isCairnError } from '../errors.js';
import type { ColumnInfo, NodeConfig, ProjectNode, RefCall, ResourceType } from '../project/types.js';

/** Every field of a node, in its usual key order, split as stored. */
export const HEAD_KEYS = ['uniqueId', 'name', 'resourceType', 'packageName', 'originalFilePath', 'path', 'fqn', 'config', 'tags', 'dependsOn', 'relation'] as const;
export const MID_KEYS = ['packageName', 'originalFilePath', 'path', 'config', 'tags', 'relation'] as const;
export const REST_KEYS = ['rawCode', 'checksum', 'description', 'columns', 'meta', 'patchPath', 'refs', 'sources', 'extra'] as const;

/** Joins fqn parts in the index (a character no name or folder has). */
export const FQN_SEP = '\u001f';

type Mid = Pick<ProjectNode, (typeof MID_KEYS)[number]>;
type Rest = Pick<ProjectNode, (typeof REST_KEYS)[number]>;
type DependsOn = ProjectNode['dependsOn'];

/** Where a node's rest is read from. */
export interface RestSource {
  read(offset: number, length: number): string;
}

/** How a snapshot node finds the parts it decodes on first use. */
export interface NodeParts {
  /** The fqn, or its parts joined with FQN_SEP. */
  fqn: string[] | string;
  /** The dependencies, or (for the index) node indices into `ids` (a string for an id not in it) and macros. */
  dependsOn: DependsOn | { ids: readonly string[]; nodes: ReadonlyArray<number | string>; macros: string[] };
  /**
   * The middle values in MID_KEYS order, where their JSON lies in `text`, or 'rest' when the rest is
   * a whole node (a model's partial-parse entry, a cached generic test): it holds the middle too.
   */
  mid: unknown[] | { text: string; start: number; end: number } | 'rest';
  /** What the JSON at offset holds: the rest, a partial-parse entry `{"path":..,"node":..}`, or a whole node. */
  rest: { source: RestSource; offset: number; length: number; form: 'rest' | 'entry' | 'node' };
}

export function midOf(n: ProjectNode): unknown[] {
  return MID_KEYS.map((k) => n[k] ?? null);
}

export function restOf(n: ProjectNode): Rest {
  const rest = {} as Record<string, unknown>;
  for (const k of REST_KEYS) rest[k] = n[k];
  return rest as Rest;
}

function decodeMid(values: unknown[]): Mid {
  const [packageName, originalFilePath, path, config, tags, relation] = values;
  return { packageName, originalFilePath, path, config, tags, relation: relation ?? undefined } as Mid;
}

/** Makes the parts of the i-th node of a snapshot index when it is first decoded. */
export interface PartsSource {
  partsOf(i: number): NodeParts;
  /** What partsOf(i) would hold, without making the rest (the graph and `ls` read these of every node). */
  fqnOf(i: number): NodeParts['fqn'];
  dependsOnOf(i: number): NodeParts['dependsOn'];
}

export class SnapshotNode implements ProjectNode {
  uniqueId: string;
  name: string;
  resourceType: ResourceType;
  // One object per node up front (10,000s are made by every invocation): its parts come from the
  // shared index on first decode.
  #source: NodeParts | PartsSource;
  #i: number;
  #partsMade: NodeParts | undefined;
  #fqn: string[] | undefined;
  #deps: DependsOn | undefined;
  #mid: Mid | undefined;
  #rest: Rest | undefined;

  constructor(id: string, name: string, resourceType: ResourceType, parts: NodeParts | PartsSource, i = 0) {
    this.uniqueId = id;
    this.name = name;
    this.resourceType = resourceType;
    this.#source = parts;
    this.#i = i;
  }

  get #parts(): NodeParts {
    const s = this.#source;
    return 'partsOf' in s ? (this.#partsMade ??= s.partsOf(this.#i)) : s;
  }

  get #m(): Mid {
    if (!this.#mid) {
      const m = this.#parts.mid;
      if (m === 'rest') void this.#r; // decodes both
      else this.#mid = decodeMid(Array.isArray(m) ? m : (JSON.parse(m.text.slice(m.start, m.end)) as unknown[]));
    }
    return this.#mid!;
  }

  get #r(): Rest {
    if (!this.#rest) {
      const { source, offset, length, form } = this.#parts.rest;
      let value: Rest | ProjectNode | { node: ProjectNode };
      try {
        value = JSON.parse(source.read(offset, length)) as typeof value;
      } catch (e) {
        if (isCairnError(e)) throw e;
        // Damaged where no stat shows it (the files' identities are checked before any is used).
        throw new CairnError('PROJECT_INVALID', `the parse snapshot's record of ${this.uniqueId} is damaged`, {
          hint: 'delete target/partial_parse_graph.cairn and run the command again',
        });
      }
      if (form === 'rest') this.#rest = value as Rest;
      else {
        const node = form === 'entry' ? (value as { node: ProjectNode }).node : (value as ProjectNode);
        if (node.uniqueId !== this.uniqueId) {
          throw new CairnError('PROJECT_INVALID', `the parse snapshot points at ${node.uniqueId} for ${this.uniqueId}`, {
            hint: 'delete target/partial_parse_graph.cairn and run the command again',
          });
        }
        if (this.#parts.mid === 'rest') this.#mid ??= decodeMid(midOf(node));
        this.#rest = restOf(node);
      }
    }
    return this.#rest;
  }

  get fqn(): string[] {
    if (!this.#fqn) {
      const s = this.#source;
      const f = 'partsOf' in s && !this.#partsMade ? s.fqnOf(this.#i) : this.#parts.fqn;
      this.#fqn = typeof f === 'string' ? f.split(FQN_SEP) : f;
    }
    return this.#fqn;
  }
  set fqn(v: string[]) { this.#fqn = v; }

  get dependsOn(): DependsOn {
    if (!this.#deps) {
      const s = this.#source;
      const d = 'partsOf' in s && !this.#partsMade ? s.dependsOnOf(this.#i) : this.#parts.dependsOn;
      this.#deps = 'ids' in d ? { nodes: d.nodes.map((x) => (typeof x === 'number' ? d.ids[x]! : x)), macros: d.macros } : d;
    }
    return this.#deps;
  }
  set dependsOn(v: DependsOn) { this.#deps = v; }

  get packageName(): string { return this.#m.packageName; }
  set packageName(v: string) { this.#m.packageName = v; }
  get originalFilePath(): string { return this.#m.originalFilePath; }
  set originalFilePath(v: string) { this.#m.originalFilePath = v; }
  get path(): string { return this.#m.path; }
  set path(v: string) { this.#m.path = v; }
  get config(): NodeConfig { return this.#m.config; }
  set config(v: NodeConfig) { this.#m.config = v; }
  get tags(): string[] { return this.#m.tags; }
  set tags(v: string[]) { this.#m.tags = v; }
  get relation(): Relation | undefined { return this.#m.relation; }
  set relation(v: Relation | undefined) { this.#m.relation = v; }

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
