// The parse snapshot: every node of the last full parse in its final form (refs resolved, docs
// applied), kept in target/partial_parse_graph.cairn with what it was parsed from, so that after
// editing the SQL of a few models an invocation re-parses those files only and takes every other
// node, the graph and the manifest as they were (core/compile/reuse-parse.ts).
//
// It holds for exactly the inputs it records: the settings key (cairn's version, dbt_project.yml,
// profile target, vars, ds), the hashes of the env vars the parse read, the stat of every other file
// in the project's folders (macros and schema YAML among them: their text is in the partial-parse
// key, recorded too, and is not read again while their stats hold), and the stat of each model
// file. Files modified within 2 s of the parse are recorded without a stat and so always re-parsed
// (git's "racy" rule, as in partial-parse.ts).
//
// Format: two files. partial_parse_graph.cairn is JSON lines: the header; the extras (see
// IndexExtras); the index, one line per column (ids, names, kinds, fqns, dependencies as indices,
// model files and their stats, where each rest lies; see COLUMNS for the lazy ones); one line per
// node with its middle (package, paths, config, tags, relation), decoded only for the nodes used,
// except for models, whose partial-parse entry holds it; a line with the check of all that (BatchEnd);
// then full entries appended for re-parsed models, each replacing the node of its model file, each
// batch followed by its check and the identities the partial-parse cache and the rest file have
// after the same models were appended to them (their identities are in the header too: any other
// write to either makes the snapshot unusable; bytes changed in this file fail a check). The
// rest of each node (SQL, docs, columns: most of its bytes) lies in its partial-parse entry
// (models) or in partial_parse_graph_rest.cairn, and is read only for the nodes used
// (snapshot-node.ts).
import { appendFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ChunkedFile } from '../artifacts/chunked-file.js';
import type { ParsedProject } from '../compile/parse-project.js';
import type { CairnError, ErrorCode, ErrorLocation } from '../errors.js';
import type { LoadedProject } from '../project/load-project.js';
import { resourceRoots } from '../project/project-config.js';
import type { SourceFile } from '../project/discover.js';
import type { ProjectNode, ResourceType } from '../project/types.js';
import { CAIRN_VERSION } from '../version.js';
import { CACHE_FILE, cacheFileIdentity, entryCheck, settled } from './partial-parse-file.js';
import type { PartialParseCache } from './partial-parse.js';
import { FQN_SEP, HEAD_KEYS, midOf, restOf, type SnapshotNode } from './snapshot-node.js';

export const SNAPSHOT_FILE = 'partial_parse_graph.cairn';
/** The nodes' rest (see snapshot-node.ts), read only for the nodes that are used. */
export const SNAPSHOT_REST_FILE = 'partial_parse_graph_rest.cairn';
// 5: the settings key, fqn heads, lazy columns chunked; 6: the rest file's identity; 7: checks
// (CRC-32) of the body and of each appended batch; 8: no sha1 per lazy column (the body's check).
export const FORMAT = 'cairn-parse-snapshot/8';
/** Node kinds whose parse reads more than the files recorded here (task modules run code). */
const UNSUPPORTED = new Set(['task', 'snapshot']);

export interface StoredWarning {
  code: ErrorCode;
  message: string;
  location: ErrorLocation;
  hint?: string;
}

export interface SnapshotHeader {
  format: string;
  cairnVersion: string;
  /** The partial-parse key of the parse (partial-parse-file.ts projectKey). */
  key: string;
  /** Its settings part: with the stats of the macro and YAML files, the key holds. */
  settings: string;
  env: Record<string, string | null>;
  /** Every file in the project's folders but the model files: path → stat key. */
  files: Record<string, string>;
  warnings: StoredWarning[];
  /** Identity (cacheFileIdentity) of the rest file these entries point into. */
  rest: string;
  /** Identity of the partial-parse cache that entries flagged 'c' point into (cacheFileIdentity). */
  cache?: string;
}

/**
 * The index columns, one line each, each in the parse's order. Most are one JSON array (decoded as
 * SnapshotIndex). The lazy ones are read only to decode a node (an invocation that compiles one
 * model decodes a handful): fqns (parts joined with FQN_SEP), deps (dependsOn.nodes as indices into
 * ids; an id that is not a node stays a string), and where each rest lies (offsets, lengths). Their
 * line is JSON arrays of LAZY_CHUNK values separated by tabs, so that a node parses only its chunk
 * (the body's check, BatchEnd, covers them when the snapshot is read).
 */
export const COLUMNS = ['ids', 'names', 'types', 'fqns', 'deps', 'files', 'stats', 'flags', 'offsets', 'lengths'] as const;
export const LAZY_COLUMNS: ReadonlySet<(typeof COLUMNS)[number]> = new Set(['fqns', 'deps', 'offsets', 'lengths'] as const);
export const LAZY_CHUNK = 256;

/** The columns every invocation decodes (the lazy ones are read a chunk at a time: COLUMNS). */
export interface SnapshotIndex {
  ids: string[];
  names: string[];
  types: ResourceType[];
  /** The model file each node comes from ('' for other kinds), and its stat ('' if not settled). */
  files: string[];
  stats: string[];
  /**
   * 't': has a template (rendered from its raw code); 'c': its middle and rest are its partial-parse
   * entry; 'g': they are its item in the cached generic tests.
   */
  flags: string[];
}

/** What is not a column: dependsOn.macros of the nodes that have any (by index), disabled models' files. */
export interface IndexExtras {
  count: number;
  macros: Record<string, string[]>;
  disabled: Array<[string, string]>;
  /** The first two parts of every fqn, lower-cased (see SelectionContext.fqnHeads). */
  heads: string[];
}

/**
 * The line after the body and after each appended batch: the check (entryCheck) of the lines since
 * the last such line (the body: since the start), and, after a batch, the identities of the files
 * it was appended with.
 */
export interface BatchEnd {
  check: string;
  cache?: string;
  rest?: string;
}

/** An entry appended for a re-parsed model: `[model file, stat, rest offset, rest length, ...head]`. */
export type Update = [string, string, number, number, ...unknown[]];

export interface ParseSnapshot {
  header: SnapshotHeader;
  extras: IndexExtras;
  /** Every node in the parse's order; an appended entry takes the place of its model's node. */
  nodes: SnapshotNode[];
  /** Per node (SnapshotIndex.flags); 't' for an appended entry. */
  flags: string[];
  /** Per node: the stat of its model file ('' for other kinds, or not settled). */
  stats: string[];
  /** Model file path → its node's position. */
  models: Map<string, number>;
  /** Files of disabled models → their stats. */
  disabled: Map<string, string>;
  /** Entries appended since the snapshot was written (re-parsed models). */
  updates: number;
}

export const snapshotPaths = (loaded: LoadedProject): [string, string] => [SNAPSHOT_FILE, SNAPSHOT_REST_FILE].map((f) => join(loaded.projectDir, loaded.config.targetPath, f)) as [string, string];

/** Every file in the project's folders (tasks included) except model SQL, which is recorded per node. */
export function otherInputs(loaded: LoadedProject): SourceFile[] {
  if (!loaded.packages.length) return loaded.files.findExcept(resourceRoots(loaded.config), '.sql', loaded.config.modelPaths);
  // Installed packages' folders count as the root's: a changed package macro or YAML file is a changed input.
  const roots = [...resourceRoots(loaded.config)];
  const models = [...loaded.config.modelPaths];
  for (const pkg of loaded.packages) {
    roots.push(...resourceRoots(pkg.config).map((r) => `${pkg.dir}/${r}`));
    models.push(...pkg.config.modelPaths.map((r) => `${pkg.dir}/${r.replace(/\/+$/, '')}`));
  }
  return loaded.files.findExcept(roots, '.sql', models);
}

const settledStat = (f: SourceFile): string => {
  const s = f.statKey?.() ?? '';
  return s && settled(s) ? s : '';
};

export interface SnapshotInputs {
  key: string;
  settings: string;
  env: Record<string, string | null>;
  /** Warnings of the parse, shown again by invocations that reuse it. */
  warnings: readonly CairnError[];
  /** The per-file cache as just saved: a model's rest is its entry there, unless docs changed it. */
  cache: PartialParseCache;
  docChanged: ReadonlySet<string>;
}

/** Writes the snapshot of a full parse, or removes a stale one when this project cannot have one. */
export function writeParseSnapshot(p: ParsedProject, { key, settings, env, warnings, cache, docChanged }: SnapshotInputs): void {
  const [file, restFile] = snapshotPaths(p.loaded);
  if (process.env.CAIRN_NO_PARTIAL_PARSE === '1' || [...p.nodes.values()].some((n) => UNSUPPORTED.has(n.resourceType))) {
    rmSync(file, { force: true });
    return;
  }
  const files: Record<string, string> = {};
  for (const f of otherInputs(p.loaded)) files[f.path] = settledStat(f);
  const modelFiles = new Map(p.loaded.modelFiles.map((f) => [f.path, f]));
  const disabled = new Map(modelFiles);
  const heads = new Set<string>();
  for (const n of p.nodes.values()) for (const part of n.fqn.slice(0, 2)) heads.add(part.toLowerCase());
  const extras: IndexExtras = { count: p.nodes.size, macros: {}, disabled: [], heads: [...heads] };
  const position = new Map<string, number>();
  for (const n of p.nodes.values()) position.set(n.uniqueId, position.size);
  let out: ChunkedFile | undefined;
  let rest: ChunkedFile | undefined;
  try {
    // The rest first: the index records where each node's rest lies, and which file that is.
    rest = new ChunkedFile(restFile);
    const flags: string[] = [];
    const offsets: number[] = [];
    const lengths: number[] = [];
    let offset = 0;
    const cacheFile = cache.savedFile;
    const testItems = cacheFile ? cache.locatedItems('generic_tests') : undefined;
    const srcOf = (n: ProjectNode) => (n.resourceType === 'model' ? modelFiles.get(n.originalFilePath) : undefined);
    for (const n of p.nodes.values()) {
      const src = srcOf(n);
      if (src) disabled.delete(src.path);
      // A model's rest is already on disk, in its partial-parse entry: point there (~12 MB and
      // ~0.1 s of serializing saved on 10,000 models).
      // Likewise a generic test's, in the cached test nodes: 'c' and 'g' point into the cache file.
      const inCache = !cacheFile || docChanged.has(n.uniqueId) ? undefined : src ? cache.located(src.path) : testItems?.get(n.uniqueId);
      flags.push((p.templates.has(n.uniqueId) ? 't' : '') + (inCache ? (src ? 'c' : 'g') : ''));
      if (inCache) {
        offsets.push(inCache.offset);
        lengths.push(inCache.length);
      } else {
        const length = rest.write(JSON.stringify(restOf(n)));
        offsets.push(offset);
        lengths.push(length);
        offset += length;
      }
      if (n.dependsOn.macros.length) extras.macros[position.get(n.uniqueId)!] = n.dependsOn.macros;
    }
    for (const f of disabled.values()) extras.disabled.push([f.path, settledStat(f)]);
    rest.commit();
    const header: SnapshotHeader = {
      format: FORMAT, cairnVersion: CAIRN_VERSION, key, settings, env, files,
      warnings: warnings.map((w) => ({ code: w.code, message: w.message, location: w.location, hint: w.hint })),
      rest: cacheFileIdentity(restFile)!,
      cache: cacheFile?.identity,
    };
    out = new ChunkedFile(file, { checked: true });
    out.write(JSON.stringify(header) + '\n');
    out.write(JSON.stringify(extras) + '\n');
    // Column by column: on 50,000 models one index object and its 17 MB of JSON at once cost
    // ~0.2 GB of peak memory and full garbage collections.
    const all = [...p.nodes.values()];
    const column = (c: (typeof COLUMNS)[number], value: (n: ProjectNode, i: number) => unknown) => {
      const values = all.map(value);
      if (!LAZY_COLUMNS.has(c)) return out!.write(JSON.stringify(values) + '\n');
      const chunks: string[] = [];
      for (let k = 0; k < values.length; k += LAZY_CHUNK) chunks.push(JSON.stringify(values.slice(k, k + LAZY_CHUNK)));
      out!.write(chunks.join('\t') + '\n'); // JSON escapes tabs inside strings
    };
    const columns: Record<(typeof COLUMNS)[number], (n: ProjectNode, i: number) => unknown> = {
      ids: (n) => n.uniqueId,
      names: (n) => n.name,
      types: (n) => n.resourceType,
      fqns: (n) => n.fqn.join(FQN_SEP),
      deps: (n) => n.dependsOn.nodes.map((d) => position.get(d) ?? d),
      files: (n) => srcOf(n)?.path ?? '',
      stats: (n) => {
        const src = srcOf(n);
        return src ? settledStat(src) : '';
      },
      flags: (_n, i) => flags[i],
      offsets: (_n, i) => offsets[i],
      lengths: (_n, i) => lengths[i],
    };
    for (const c of COLUMNS) column(c, columns[c]);
    // A model whose rest is its partial-parse entry has its middle there too (set by its parse).
    let i = 0;
    for (const n of p.nodes.values()) if (!/[cg]/.test(flags[i++]!)) out.write(JSON.stringify(midOf(n)) + '\n');
    out.write(JSON.stringify({ check: out.checkSoFar() } satisfies BatchEnd) + '\n');
    out.commit();
  } catch {
    // Without a snapshot the next invocation parses as usual.
    rest?.discard();
    out?.discard();
    rmSync(file, { force: true });
  }
}

/**
 * Records re-parsed models: their entries replace the old ones when read. Call after appending them
 * to the partial-parse cache: the identity that cache now has is recorded with them.
 */
export function appendToParseSnapshot(loaded: LoadedProject, updates: ReadonlyArray<{ node: ProjectNode; file: SourceFile }>): void {
  if (!updates.length) return;
  const [file, restFile] = snapshotPaths(loaded);
  try {
    let offset = statSync(restFile).size;
    const entries: string[] = [];
    const rests: string[] = [];
    for (const { node, file: src } of updates) {
      const json = JSON.stringify(restOf(node));
      const length = Buffer.byteLength(json);
      rests.push(json);
      const head = HEAD_KEYS.map((k) => node[k] ?? null);
      entries.push(JSON.stringify([src.path, settledStat(src), offset, length, ...head] satisfies Update) + '\n');
      offset += length;
    }
    // The rest before the entries that point into it: an interrupted append leaves unused bytes.
    appendFileSync(restFile, rests.join(''));
    const cache = cacheFileIdentity(join(loaded.projectDir, loaded.config.targetPath, CACHE_FILE));
    const end: BatchEnd = { check: entryCheck(entries.join('')), cache, rest: cacheFileIdentity(restFile) };
    appendFileSync(file, entries.join('') + JSON.stringify(end) + '\n');
  } catch {
    // the next invocation re-parses those files again
  }
}
