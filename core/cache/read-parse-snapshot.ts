// Reading the parse snapshot written by parse-snapshot.ts (format described there): the header and
// the index are decoded; each node's middle and rest wait in the text and on disk until used.
import { join } from 'node:path';
import { CairnError } from '../errors.js';
import type { LoadedProject } from '../project/load-project.js';
import type { ProjectNode, ResourceType } from '../project/types.js';
import { CAIRN_VERSION } from '../version.js';
import { readTextAndBytes } from '../util/read-text.js';
import { CACHE_FILE, cacheFileIdentity, entryCheck } from './partial-parse-file.js';
import { COLUMNS, FORMAT, LAZY_CHUNK, LAZY_COLUMNS, snapshotPaths, type BatchEnd, type IndexExtras, type ParseSnapshot, type SnapshotHeader, type SnapshotIndex, type Update } from './parse-snapshot.js';
import { RestReader } from './rest-reader.js';
import { HEAD_KEYS, SnapshotNode, type NodeParts, type PartsSource } from './snapshot-node.js';

/** The snapshot for this project, if there is one that this cairn wrote; undefined otherwise. */
export function readParseSnapshot(loaded: LoadedProject, warn: (w: CairnError) => void): ParseSnapshot | undefined {
  const [file, restFile] = snapshotPaths(loaded);
  let read: ReturnType<typeof readTextAndBytes>;
  try {
    read = readTextAndBytes(file);
  } catch {
    return undefined;
  }
  const { text } = read;
  // The check of the text in [from, to) as written (entryCheck of its bytes).
  const checkOf = (from: number, to: number) => entryCheck(read.ascii ? read.bytes.subarray(from, to) : text.slice(from, to));
  const corrupt = (why: string) => {
    warn(new CairnError('PROJECT_INVALID', `ignoring the parse snapshot ${file}: ${why}; parsing as usual`, { file }));
    return undefined;
  };
  const nl1 = text.indexOf('\n');
  let header: SnapshotHeader;
  try {
    header = JSON.parse(text.slice(0, nl1 < 0 ? text.length : nl1)) as SnapshotHeader;
  } catch {
    return corrupt('it is not a cairn parse snapshot');
  }
  if (typeof header?.format !== 'string' || !header.format.startsWith('cairn-parse-snapshot/')) return corrupt('it is not a cairn parse snapshot');
  if (header.format !== FORMAT || header.cairnVersion !== CAIRN_VERSION) return undefined; // another cairn's: rebuilt
  if (!text.endsWith('\n')) return corrupt('it ends in the middle of a line');
  // The rest file as it is; it must be as last recorded (below), or someone else wrote it.
  const restNow = cacheFileIdentity(restFile);
  if (!restNow) return undefined;
  let restRecorded = header.rest;
  const rest = new RestReader(restFile, Number(restNow.split(':')[0]));
  const cacheFile = join(loaded.projectDir, loaded.config.targetPath, CACHE_FILE);
  const cacheNow = cacheFileIdentity(cacheFile);
  const cached = cacheNow ? new RestReader(cacheFile, Number(cacheNow.split(':')[0])) : undefined;
  let cacheRecorded = header.cache;
  let snap: ParseSnapshot;
  try {
    let at = nl1 + 1;
    const nextLine = (): unknown => {
      const end = text.indexOf('\n', at);
      if (end < 0) throw new Error('corrupt');
      const value = JSON.parse(text.slice(at, end)) as unknown;
      at = end + 1;
      return value;
    };
    const extras = nextLine() as IndexExtras;
    if (!Array.isArray(extras?.heads)) throw new Error('corrupt');
    const x = {} as SnapshotIndex;
    const lazy = new Map<(typeof COLUMNS)[number], ChunkedColumn>();
    for (const c of COLUMNS) {
      if (LAZY_COLUMNS.has(c)) {
        // Parsed a chunk at a time as nodes are decoded (the body's check below covers it).
        const end = text.indexOf('\n', at);
        if (end < 0) throw new Error('corrupt');
        lazy.set(c, new ChunkedColumn(text.slice(at, end), extras.count));
        at = end + 1;
        continue;
      }
      const col = nextLine();
      if (!Array.isArray(col) || col.length !== extras.count) throw new Error('corrupt');
      (x as unknown as Record<string, unknown[]>)[c] = col;
    }
    if (!cached && x.flags.some((f) => /[cg]/.test(f))) return undefined; // the cache they point into is gone
    // Where each middle line lies (nodes whose rest is not in the cache have one, in order).
    const midStart = new Int32Array(extras.count).fill(-1);
    const midEnd = new Int32Array(extras.count);
    for (let i = 0; i < extras.count; i++) {
      if (/[cg]/.test(x.flags[i]!)) continue;
      const end = text.indexOf('\n', at);
      if (end < 0) throw new Error('corrupt');
      midStart[i] = at;
      midEnd[i] = end;
      at = end + 1;
    }
    const bodyEnd = text.indexOf('\n', at);
    const body = bodyEnd < 0 ? undefined : (JSON.parse(text.slice(at, bodyEnd)) as BatchEnd);
    if (!body || body.check !== checkOf(0, at)) throw new Error('corrupt');
    at = bodyEnd + 1;
    const parts = new IndexedParts(x, lazy, extras, text, midStart, midEnd, rest, cached);
    const nodes = x.ids.map((id, i) => new SnapshotNode(id, x.names[i]!, x.types[i]!, parts, i));
    const models = new Map<string, number>();
    x.files.forEach((f, i) => f && models.set(f, i));
    snap = { header, extras, nodes, flags: x.flags, stats: x.stats, models, disabled: new Map(extras.disabled), updates: 0 };
    // Appended batches, each ending with its check (entries after the last one: an interrupted append).
    let batch = at;
    for (; at < text.length; ) {
      const end = text.indexOf('\n', at);
      const u = JSON.parse(text.slice(at, end)) as Update | BatchEnd;
      if (!Array.isArray(u)) {
        if (u.check !== checkOf(batch, at)) throw new Error('corrupt');
        cacheRecorded = u.cache;
        restRecorded = u.rest ?? restRecorded;
        batch = at = end + 1;
        continue;
      }
      at = end + 1;
      const head = u.slice(4);
      if (head.length !== HEAD_KEYS.length) throw new Error('corrupt');
      const [id, name, type, , , , fqn, , , dependsOn] = head as [string, string, ResourceType, unknown, unknown, unknown, string[], unknown, unknown, ProjectNode['dependsOn']];
      // An entry replaces the node of its model file (a re-parse keeps the node's id).
      const i = models.get(u[0]);
      if (i === undefined || nodes[i]!.uniqueId !== id) throw new Error('corrupt');
      nodes[i] = new SnapshotNode(id, name, type, { fqn, dependsOn, mid: [head[3], head[4], head[5], head[7], head[8], head[10]], rest: { source: rest, offset: u[2], length: u[3], form: 'rest' } });
      x.flags[i] = 't';
      x.stats[i] = u[1];
      snap.updates++;
    }
    if (batch !== at) throw new Error('corrupt');
  } catch {
    return corrupt('an entry is corrupt');
  }
  // Entries point into the rest file and the partial-parse cache as they were when recorded: written
  // since by anyone else (even in place, with the mtime set back: ctime tells), the snapshot is not used.
  if (restNow !== restRecorded) return undefined;
  const pointsIntoCache = snap.flags.some((f) => /[cg]/.test(f));
  if (pointsIntoCache && (!cacheNow || cacheNow !== cacheRecorded)) return undefined;
  return snap;
}

/** A lazy column (see COLUMNS): its chunks are parsed when one of their values is asked for. */
class ChunkedColumn {
  private starts: number[] | undefined;
  private chunks: unknown[][] = [];

  constructor(private readonly body: string, private readonly count: number) {}

  at(i: number): unknown {
    const c = Math.floor(i / LAZY_CHUNK);
    return (this.chunks[c] ??= this.parse(c))[i - c * LAZY_CHUNK];
  }

  private parse(c: number): unknown[] {
    if (!this.starts) {
      this.starts = [0];
      for (let t = this.body.indexOf('\t'); t >= 0; t = this.body.indexOf('\t', t + 1)) this.starts.push(t + 1);
    }
    const from = this.starts[c];
    const to = c + 1 < this.starts.length ? this.starts[c + 1]! - 1 : this.body.length;
    const chunk = from === undefined ? undefined : (JSON.parse(this.body.slice(from, to)) as unknown);
    const want = Math.min(LAZY_CHUNK, this.count - c * LAZY_CHUNK);
    // The text matched its check: only a bug could make it something else.
    if (!Array.isArray(chunk) || chunk.length !== want) {
      throw new CairnError('PROJECT_INVALID', 'the parse snapshot target/partial_parse_graph.cairn does not hold what its check says', { hint: 'delete it and run the command again' });
    }
    return chunk;
  }
}

/** The parts of the index's nodes, made when a node is first decoded (most never are). */
class IndexedParts implements PartsSource {
  constructor(
    private readonly x: SnapshotIndex,
    private readonly lazy: ReadonlyMap<(typeof COLUMNS)[number], ChunkedColumn>,
    private readonly extras: IndexExtras,
    private readonly text: string,
    private readonly midStart: Int32Array,
    private readonly midEnd: Int32Array,
    private readonly rest: RestReader,
    private readonly cached: RestReader | undefined,
  ) {}

  fqnOf(i: number): string {
    return this.lazy.get('fqns')!.at(i) as string;
  }

  dependsOnOf(i: number): NodeParts['dependsOn'] {
    return { ids: this.x.ids, nodes: this.lazy.get('deps')!.at(i) as Array<number | string>, macros: this.extras.macros[i] ?? [] };
  }

  partsOf(i: number): NodeParts {
    const { x } = this;
    const flags = x.flags[i]!;
    const form = flags.includes('c') ? 'entry' : flags.includes('g') ? 'node' : 'rest';
    return {
      fqn: this.fqnOf(i),
      dependsOn: this.dependsOnOf(i),
      mid: this.midStart[i]! < 0 ? 'rest' : { text: this.text, start: this.midStart[i]!, end: this.midEnd[i]! },
      rest: { source: form === 'rest' ? this.rest : this.cached!, offset: this.lazy.get('offsets')!.at(i) as number, length: this.lazy.get('lengths')!.at(i) as number, form },
    };
  }
}

export function storedWarnings(header: SnapshotHeader): CairnError[] {
  return header.warnings.map((w) => new CairnError(w.code, w.message, { ...w.location, hint: w.hint }));
}
