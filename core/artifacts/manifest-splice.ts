// Writes manifest.json by copying from the previous one every node entry that is the same, when
// the parse reused the previous parse (core/cache/parse-snapshot.ts): the graph, the macros, the
// docs and every node but the edited ones are then unchanged, so what differs is the metadata, the
// edited nodes, and the compile fields of the nodes compiled now or compiled last time. On 10,000
// models serializing every entry again cost ~0.4 s; copying ~25 MB in large ranges costs ~20 ms.
import { closeSync, fstatSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { ParsedProject } from '../compile/parse-project.js';
import type { ProjectNode } from '../project/types.js';
import { idsHash, IndexPositions, readManifestIndex, writeManifestIndex } from './manifest-index.js';
import { EntryBuilder, manifestSections, type ManifestOptions, type NodeSection } from './manifest.js';

const COPY_CHUNK = 1 << 20;
const UNCOMPILED_TAIL = ',"compiled":false}';

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

/**
 * Writes the manifest of `p` at `path` from the one already there; false (and nothing written)
 * when there is no usable index or the nodes are not those it describes.
 */
export function spliceManifest(path: string, p: ParsedProject, opts: ManifestOptions, changed: ReadonlySet<string>): boolean {
  const index = readManifestIndex(path);
  if (!index) return false;
  const sections = manifestSections(p, opts);
  // The node entries in the order the full writer would write them: the index must list the same.
  const plan: Array<[ProjectNode, NodeSection]> = [];
  for (const [, sec] of sections) if ('nodes' in sec) for (const n of p.nodes.values()) if (sec.nodes.pick(n)) plan.push([n, sec.nodes]);
  if (plan.length * 4 !== index.positions.length || idsHash(plan.map(([n]) => n.uniqueId)) !== index.ids) return false;
  if (sections[0]![0] !== 'metadata' || !('value' in sections[0]![1])) return false;

  const tmp = `${path}.${process.pid}.tmp`;
  const old = openSync(path, 'r');
  let out: number | undefined;
  const entries = new IndexPositions(plan.length);
  try {
    out = openSync(tmp, 'w');
    const w = new SpliceWriter(out, old);
    w.text(`{"metadata":${JSON.stringify(sections[0]![1].value)}`);
    const metaEnd = w.pos;
    const builder = new EntryBuilder(p, opts);
    let prevEnd = index.metaEnd;
    const pos = index.positions;
    plan.forEach(([n, sec], i) => {
      const [oldStart, oldBaseEnd, oldEnd, wasCompiled] = [pos[4 * i]!, pos[4 * i + 1]!, pos[4 * i + 2]!, pos[4 * i + 3] === 1];
      w.copy(prevEnd, oldStart); // separators and section keys
      prevEnd = oldEnd;
      const start = w.pos;
      const compileNow = opts.compiled?.has(n.uniqueId) ?? false;
      if (changed.has(n.uniqueId) || compileNow) {
        const [entry, tail] = builder.parts(n, sec.extra);
        w.text(JSON.stringify(entry).slice(0, -1));
        const baseEnd = w.pos;
        w.text(',' + JSON.stringify(tail).slice(1));
        entries.add(start, baseEnd, w.pos, compileNow);
      } else if (wasCompiled) {
        w.copy(oldStart, oldBaseEnd);
        const baseEnd = w.pos;
        w.text(UNCOMPILED_TAIL);
        entries.add(start, baseEnd, w.pos, false);
      } else {
        w.copy(oldStart, oldEnd);
        entries.add(start, start + (oldBaseEnd - oldStart), w.pos, false);
      }
    });
    w.copy(prevEnd, fstatSync(old).size);
    w.flushCopy();
    closeSync(out);
    out = undefined;
    renameSync(tmp, path);
    writeManifestIndex(path, metaEnd, index.ids, entries); // the same ids, in the same order
    return true;
  } catch {
    // Anything unexpected in the old file: the caller writes the manifest whole.
    if (out !== undefined) closeSync(out);
    rmSync(tmp, { force: true });
    return false;
  } finally {
    closeSync(old);
  }
}
