// Writes manifest.json from the previous one when the parse reused the previous parse
// (core/cache/parse-snapshot.ts): the graph, the macros, the docs and every node but the edited ones
// are then unchanged, so what differs is the metadata, the edited nodes, and the compile fields of
// the nodes compiled now or compiled last time. On 10,000 models serializing every entry again cost
// ~0.4 s.
//
// Two ways, both from the index of where each entry lies (manifest-index.ts):
// - in place: when every changed part fits where its old text was, it is written over it, padded
//   with spaces (JSON allows them between tokens). Nothing else of the 25 MB is touched: writing a
//   new file cost ~80 ms at 10k models, mostly the kernel giving it fresh pages. Not atomic, like
//   dbt's own write: a reader during the write may see some entries new and some old.
// - spliced: a new file made of the old one's unchanged byte ranges and the changed entries, each
//   rewritten entry followed by spare spaces so that the next edit of it fits in place.
import { closeSync, fstatSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { ParsedProject } from '../compile/parse-project.js';
import type { ProjectNode } from '../project/types.js';
import { idsHash, IndexPositions, readManifestIndex, writeManifestIndex, type ManifestIndex } from './manifest-index.js';
import { EntryBuilder, manifestSections, tailText, type ManifestOptions, type NodeSection } from './manifest.js';

const COPY_CHUNK = 1 << 20;
const UNCOMPILED_TAIL = ',"compiled":false}';
const METADATA_KEY = '{"metadata":';

/** Spare spaces after a rewritten entry: room for the next edit to be written in place. */
const spare = (length: number) => Math.max(256, Math.ceil(length / 4));
/** Spare spaces after the metadata, which differs in length only if the project's settings do. */
const METADATA_SPARE = 64;

/** `text` and spaces after it, `slot` bytes in all. */
const padTo = (text: string, slot: number) => text + ' '.repeat(slot - Buffer.byteLength(text));

/** Sequential output that mixes new text with byte ranges copied from the old file. */
class SpliceWriter {
  private readonly buf = Buffer.allocUnsafe(COPY_CHUNK);
  private pendingFrom = -1;
  private pendingTo = -1;
  /** Bytes of output so far, pending copies included. */
  pos = 0;

  constructor(private readonly out: number, private readonly old: number) {}

  text(s: string): void {
    this.flushCopy();
    this.pos += writeSync(this.out, s);
  }

  /** Copies old[from, to); adjacent ranges are merged into one copy. */
  copy(from: number, to: number): void {
    if (from === this.pendingTo) this.pendingTo = to;
    else {
      this.flushCopy();
      this.pendingFrom = from;
      this.pendingTo = to;
    }
    this.pos += to - from;
  }

  flushCopy(): void {
    for (let at = this.pendingFrom; at < this.pendingTo; ) {
      const n = readSync(this.old, this.buf, 0, Math.min(COPY_CHUNK, this.pendingTo - at), at);
      if (n <= 0) throw new Error('manifest.json is shorter than its index says');
      writeSync(this.out, this.buf, 0, n);
      at += n;
    }
    this.pendingFrom = this.pendingTo = -1;
  }
}

/** What becomes of one node entry: kept as it is, its compile fields cut, or written anew. */
type Edit = { kind: 'keep' } | { kind: 'cut' } | { kind: 'write'; base: string; tail: string; compiled: boolean };

/**
 * Writes the manifest of `p` at `path` from the one already there; false (and nothing written)
 * when there is no usable index or the nodes are not those it describes.
 */
export function spliceManifest(path: string, p: ParsedProject, opts: ManifestOptions, changed: ReadonlySet<string>): boolean {
  const index = readManifestIndex(path);
  if (!index) return false;
  const sections = manifestSections(p, opts);
  // The node entries in the order the full writer would write them: the index must list the same.
  const nodes: ProjectNode[] = [];
  const secs: NodeSection[] = [];
  for (const [, sec] of sections) {
    if (!('nodes' in sec)) continue;
    for (const n of p.nodes.values()) {
      if (!sec.nodes.pick(n)) continue;
      nodes.push(n);
      secs.push(sec.nodes);
    }
  }
  if (nodes.length * 4 !== index.positions.length || idsHash(nodes.map((n) => n.uniqueId)) !== index.ids) return false;
  if (sections[0]![0] !== 'metadata' || !('value' in sections[0]![1])) return false;
  const metadata = JSON.stringify(sections[0]![1].value);
  const pos = index.positions;
  const builder = new EntryBuilder(p, opts);
  const edits = nodes.map((n, i): Edit => {
    const compileNow = opts.compiled?.has(n.uniqueId) ?? false;
    if (changed.has(n.uniqueId) || compileNow) {
      const [entry, tail] = builder.parts(n, secs[i]!.extra);
      return { kind: 'write', base: JSON.stringify(entry).slice(0, -1), tail: tailText(tail), compiled: compileNow };
    }
    return pos[4 * i + 3] === 1 ? { kind: 'cut' } : { kind: 'keep' };
  });
  try {
    return patchInPlace(path, index, metadata, edits) || rewrite(path, index, metadata, edits);
  } catch {
    return false; // anything unexpected in the old file: the caller writes the manifest whole
  }
}

/** Writes each changed part over its old text; false (nothing written) unless every one fits. */
function patchInPlace(path: string, index: ManifestIndex, metadata: string, edits: readonly Edit[]): boolean {
  const pos = index.positions;
  const bytes = Buffer.byteLength;
  if (METADATA_KEY.length + bytes(metadata) > index.metaEnd) return false;
  const fits = edits.every((e, i) => e.kind !== 'write' || bytes(e.base) + bytes(e.tail) <= pos[4 * i + 2]! - pos[4 * i]!);
  if (!fits) return false;
  const fd = openSync(path, 'r+');
  const at = new IndexPositions(edits.length);
  try {
    const head = Buffer.alloc(METADATA_KEY.length);
    readSync(fd, head, 0, head.length, 0);
    if (head.toString('latin1') !== METADATA_KEY) return false;
    writeSync(fd, padTo(metadata, index.metaEnd - METADATA_KEY.length), METADATA_KEY.length);
    edits.forEach((e, i) => {
      const start = pos[4 * i]!;
      const baseEnd = pos[4 * i + 1]!;
      const end = pos[4 * i + 2]!;
      if (e.kind === 'keep') return at.add(start, baseEnd, end, false);
      if (e.kind === 'cut') {
        writeSync(fd, padTo(UNCOMPILED_TAIL, end - baseEnd), baseEnd);
        return at.add(start, baseEnd, end, false);
      }
      writeSync(fd, padTo(e.base + e.tail, end - start), start);
      at.add(start, start + bytes(e.base), end, e.compiled);
    });
  } finally {
    closeSync(fd);
  }
  writeManifestIndex(path, index.metaEnd, index.ids, at);
  return true;
}

/** A new file: the old one's unchanged ranges, the changed parts, spare room after rewritten entries. */
function rewrite(path: string, index: ManifestIndex, metadata: string, edits: readonly Edit[]): boolean {
  const tmp = `${path}.${process.pid}.tmp`;
  const old = openSync(path, 'r');
  let out: number | undefined;
  const at = new IndexPositions(edits.length);
  try {
    out = openSync(tmp, 'w');
    const w = new SpliceWriter(out, old);
    w.text(`${METADATA_KEY}${metadata}${' '.repeat(METADATA_SPARE)}`);
    const metaEnd = w.pos;
    let prevEnd = index.metaEnd;
    const pos = index.positions;
    edits.forEach((e, i) => {
      const oldStart = pos[4 * i]!;
      const oldBaseEnd = pos[4 * i + 1]!;
      const oldEnd = pos[4 * i + 2]!;
      w.copy(prevEnd, oldStart); // separators and section keys
      prevEnd = oldEnd;
      const start = w.pos;
      if (e.kind === 'write') {
        w.text(e.base);
        const baseEnd = w.pos;
        w.text(e.tail);
        w.text(' '.repeat(spare(w.pos - start)));
        at.add(start, baseEnd, w.pos, e.compiled);
      } else if (e.kind === 'cut') {
        w.copy(oldStart, oldBaseEnd);
        const baseEnd = w.pos;
        w.text(UNCOMPILED_TAIL);
        at.add(start, baseEnd, w.pos, false);
      } else {
        w.copy(oldStart, oldEnd);
        at.add(start, start + (oldBaseEnd - oldStart), w.pos, false);
      }
    });
    w.copy(prevEnd, fstatSync(old).size);
    w.flushCopy();
    closeSync(out);
    out = undefined;
    renameSync(tmp, path);
    writeManifestIndex(path, metaEnd, index.ids, at); // the same ids, in the same order
    return true;
  } catch (e) {
    if (out !== undefined) closeSync(out);
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    closeSync(old);
  }
}
