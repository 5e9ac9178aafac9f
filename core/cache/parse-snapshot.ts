// The parse snapshot: every node of the last full parse in its final form (refs resolved, docs
// applied), kept in target/partial_parse_graph.cairn with what it was parsed from, so that after
// editing the SQL of a few models an invocation re-parses those files only and takes every other
// node, the graph and the manifest as they were (core/compile/reuse-parse.ts).
//
// It holds for exactly the inputs it records: the partial-parse project key (cairn's version,
// dbt_project.yml, profile target, vars, ds, macro and schema YAML text), the hashes of the env vars
// the parse read, the stat of every other file in the project's folders, and the stat of each model
// file. Files modified within 2 s of the parse are recorded without a stat and so always re-parsed
// (git's "racy" rule, as in partial-parse.ts).
//
// Format: two files. partial_parse_graph.cairn is JSON lines: the header, then one JSON array of
// entries `[id, model file, stat, flags, rest offset, rest length, head]` in the parse's order, then
// entries appended for re-parsed models, each replacing the earlier entry for its id in place. The
// rest of each node (its SQL, docs, columns: most of its bytes) lies in partial_parse_graph_rest.cairn
// and is read only for the nodes used.
import { appendFileSync, closeSync, fstatSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ChunkedFile } from '../artifacts/chunked-file.js';
import type { ParsedProject } from '../compile/parse-project.js';
import { CairnError, type ErrorCode, type ErrorLocation } from '../errors.js';
import type { LoadedProject } from '../project/load-project.js';
import type { SourceFile } from '../project/discover.js';
import type { ProjectNode } from '../project/types.js';
import { CAIRN_VERSION } from '../version.js';
import { CACHE_FILE, settled, type PartialParseCache } from './partial-parse.js';
import { HEAD_KEYS, SnapshotNode, splitNode, type RestSource } from './snapshot-node.js';

export const SNAPSHOT_FILE = 'partial_parse_graph.cairn';
/** The nodes' rest (see snapshot-node.ts), read only for the nodes that are used. */
export const SNAPSHOT_REST_FILE = 'partial_parse_graph_rest.cairn';
const FORMAT = 'cairn-parse-snapshot/1';
/** Node kinds whose parse reads more than the files recorded here (task modules run code). */
const UNSUPPORTED = new Set(['task', 'snapshot']);

interface StoredWarning {
  code: ErrorCode;
  message: string;
  location: ErrorLocation;
  hint?: string;
}

export interface SnapshotHeader {
  format: string;
  cairnVersion: string;
  key: string;
  env: Record<string, string | null>;
  /** Every file in the project's folders but the model files: path → stat key. */
  files: Record<string, string>;
  warnings: StoredWarning[];
  /** Inode of the rest file these entries point into. */
  rest: number;
  /** Inode of the partial-parse cache that entries flagged 'c' point into. */
  cache?: number;
}

/** `[id, model file, stat, flags, rest offset, rest length, ...head]`; id '' and no head for a disabled model's file. */
type Entry = [string, string, string, string, number, number, ...unknown[]];

export interface SnapshotLine {
  id: string;
  /** The model file the node comes from ('' for other kinds). */
  file: string;
  stat: string;
  /** 't': the node has a template (rendered from its raw code). */
  flags: string;
  /** The node, its rest decoded on first use (undefined for a disabled model's file). */
  node?: SnapshotNode;
}

export interface ParseSnapshot {
  header: SnapshotHeader;
  /** By node id, in the parse's order. */
  nodes: Map<string, SnapshotLine>;
  /** By model file path: the node line, or a line with no id for a disabled model. */
  models: Map<string, SnapshotLine>;
}

const snapshotPaths = (loaded: LoadedProject): [string, string] => [SNAPSHOT_FILE, SNAPSHOT_REST_FILE].map((f) => join(loaded.projectDir, loaded.config.targetPath, f)) as [string, string];

/** Every file in the project's folders (tasks included) except model SQL, which is recorded per node. */
export function otherInputs(loaded: LoadedProject): SourceFile[] {
  const c = loaded.config;
  const taskPaths = Array.isArray(c.raw['task-paths']) ? (c.raw['task-paths'] as unknown[]).map(String) : ['tasks'];
  const roots = [...new Set([...c.modelPaths, ...c.seedPaths, ...c.snapshotPaths, ...c.testPaths, ...c.analysisPaths, ...c.macroPaths, ...c.docsPaths, ...taskPaths])];
  const models = new Set(loaded.modelFiles.map((f) => f.path));
  return loaded.files.find(roots, [''], models);
}

const settledStat = (f: SourceFile): string => {
  const s = f.statKey?.() ?? '';
  return s && settled(s) ? s : '';
};

export interface SnapshotInputs {
  key: string;
  env: Record<string, string | null>;
  /** Warnings of the parse, shown again by invocations that reuse it. */
  warnings: readonly CairnError[];
  /** The per-file cache as just saved: a model's rest is its entry there, unless docs changed it. */
  cache: PartialParseCache;
  docChanged: ReadonlySet<string>;
}

/** Writes the snapshot of a full parse, or removes a stale one when this project cannot have one. */
export function writeParseSnapshot(p: ParsedProject, { key, env, warnings, cache, docChanged }: SnapshotInputs): void {
  const [file, restFile] = snapshotPaths(p.loaded);
  if (process.env.CAIRN_NO_PARTIAL_PARSE === '1' || [...p.nodes.values()].some((n) => UNSUPPORTED.has(n.resourceType))) {
    rmSync(file, { force: true });
    return;
  }
  const files: Record<string, string> = {};
  for (const f of otherInputs(p.loaded)) files[f.path] = settledStat(f);
  const modelFiles = new Map(p.loaded.modelFiles.map((f) => [f.path, f]));
  const disabled = new Map(modelFiles);
  let out: ChunkedFile | undefined;
  let rest: ChunkedFile | undefined;
  try {
    // The rest first: the entries record where each node's rest lies, and which file that is.
    rest = new ChunkedFile(restFile);
    const entries: string[] = [];
    let offset = 0;
    const cacheFile = cache.savedFile;
    for (const n of p.nodes.values()) {
      const src = n.resourceType === 'model' ? modelFiles.get(n.originalFilePath) : undefined;
      if (src) disabled.delete(src.path);
      const [head, restPart] = splitNode(n);
      const flags = p.templates.has(n.uniqueId) ? 't' : '';
      // A model's rest is already on disk, in its partial-parse entry: point there (~12 MB and
      // ~0.1 s of serializing saved on 10,000 models).
      const inCache = src && cacheFile && !docChanged.has(n.uniqueId) ? cache.located(src.path) : undefined;
      if (inCache) {
        entries.push(JSON.stringify([n.uniqueId, src!.path, settledStat(src!), flags + 'c', inCache.offset, inCache.length, ...head] satisfies Entry));
        continue;
      }
      const json = JSON.stringify(restPart);
      const length = Buffer.byteLength(json);
      rest.write(json);
      entries.push(JSON.stringify([n.uniqueId, src?.path ?? '', src ? settledStat(src) : '', flags, offset, length, ...head] satisfies Entry));
      offset += length;
    }
    for (const f of disabled.values()) entries.push(JSON.stringify(['', f.path, settledStat(f), '', 0, 0] satisfies Entry));
    rest.commit();
    const header: SnapshotHeader = {
      format: FORMAT, cairnVersion: CAIRN_VERSION, key, env, files,
      warnings: warnings.map((w) => ({ code: w.code, message: w.message, location: w.location, hint: w.hint })),
      rest: statSync(restFile).ino,
      cache: cacheFile?.ino,
    };
    out = new ChunkedFile(file);
    out.write(JSON.stringify(header) + '\n[');
    entries.forEach((e, i) => out!.write(i ? ',' + e : e));
    out.write(']\n');
    out.commit();
  } catch {
    // Without a snapshot the next invocation parses as usual.
    rest?.discard();
    out?.discard();
    rmSync(file, { force: true });
  }
}

/** Records re-parsed models: their entries replace the old ones when read. */
export function appendToParseSnapshot(loaded: LoadedProject, updates: ReadonlyArray<{ node: ProjectNode; file: SourceFile }>): void {
  if (!updates.length) return;
  const [file, restFile] = snapshotPaths(loaded);
  try {
    let offset = statSync(restFile).size;
    const entries: string[] = [];
    const rests: string[] = [];
    for (const { node, file: src } of updates) {
      const [head, restPart] = splitNode(node);
      const json = JSON.stringify(restPart);
      const length = Buffer.byteLength(json);
      rests.push(json);
      entries.push(JSON.stringify([node.uniqueId, src.path, settledStat(src), 't', offset, length, ...head] satisfies Entry) + '\n');
      offset += length;
    }
    // The rest before the entries that point into it: an interrupted append leaves unused bytes.
    appendFileSync(restFile, rests.join(''));
    appendFileSync(file, entries.join(''));
  } catch {
    // the next invocation re-parses those files again
  }
}

/** The snapshot for this project, if there is one that this cairn wrote; undefined otherwise. */
export function readParseSnapshot(loaded: LoadedProject, warn: (w: CairnError) => void): ParseSnapshot | undefined {
  const [file, restFile] = snapshotPaths(loaded);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const corrupt = (why: string) => {
    warn(new CairnError('PROJECT_INVALID', `ignoring the parse snapshot ${file}: ${why}; parsing as usual`, { file }));
    return undefined;
  };
  const lines = text.split('\n');
  let header: SnapshotHeader;
  try {
    header = JSON.parse(lines[0]!) as SnapshotHeader;
  } catch {
    return corrupt('it is not a cairn parse snapshot');
  }
  if (typeof header?.format !== 'string' || !header.format.startsWith('cairn-parse-snapshot/')) return corrupt('it is not a cairn parse snapshot');
  if (header.format !== FORMAT || header.cairnVersion !== CAIRN_VERSION) return undefined; // another cairn's: rebuilt
  if (lines[lines.length - 1] !== '' || lines.length < 3) return corrupt('it ends in the middle of a line');
  if (statSync(restFile, { throwIfNoEntry: false })?.ino !== header.rest) return undefined; // rewritten meanwhile
  const rest = new RestReader(restFile, header.rest);
  const cacheFile = join(loaded.projectDir, loaded.config.targetPath, CACHE_FILE);
  const cached = header.cache !== undefined && statSync(cacheFile, { throwIfNoEntry: false })?.ino === header.cache ? new RestReader(cacheFile, header.cache) : undefined;
  const snap: ParseSnapshot = { header, nodes: new Map(), models: new Map() };
  const add = (e: Entry) => {
    const line: SnapshotLine = { id: e[0], file: e[1], stat: e[2], flags: e[3] };
    if (line.id) {
      if (e.length !== 6 + HEAD_KEYS.length || e[6] !== line.id) throw new Error('corrupt');
      const inCache = line.flags.includes('c');
      if (inCache && !cached) throw new Error('the partial-parse cache it points into is gone');
      line.node = new SnapshotNode(e.slice(6), inCache ? cached! : rest, e[4], e[5], inCache);
      snap.nodes.set(line.id, line);
    }
    if (line.file) snap.models.set(line.file, line);
  };
  try {
    for (const e of JSON.parse(lines[1]!) as Entry[]) add(e);
    for (let i = 2; i < lines.length - 1; i++) add(JSON.parse(lines[i]!) as Entry);
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('the partial-parse cache')) return undefined; // rewritten since
    return corrupt('an entry is corrupt');
  }
  return snap;
}

/**
 * Reads node rests on demand: a few with one positioned read each, and the whole file once many are
 * asked for (a command that looks at every node).
 */
class RestReader implements RestSource {
  private reads = 0;
  private all: Buffer | undefined;

  constructor(private readonly file: string, private readonly ino: number) {}

  read(offset: number, length: number): string {
    if (!this.all && ++this.reads > 64) this.all = readFileSync(this.file);
    if (this.all && offset + length <= this.all.length) return this.all.toString('utf8', offset, offset + length);
    const fd = openSync(this.file, 'r');
    try {
      const buf = Buffer.allocUnsafe(length);
      if (fstatSync(fd).ino !== this.ino || readSync(fd, buf, 0, length, offset) !== length) throw new Error('changed');
      return buf.toString('utf8');
    } catch {
      throw new CairnError('PROJECT_INVALID', `the parse snapshot ${this.file} changed while this command was reading it`, {
        file: this.file,
        hint: 'run the command again (another cairn command was writing target/ at the same time)',
      });
    } finally {
      closeSync(fd);
    }
  }
}

export function storedWarnings(header: SnapshotHeader): CairnError[] {
  return header.warnings.map((w) => new CairnError(w.code, w.message, { ...w.location, hint: w.hint }));
}
