// Where each node entry lies in target/manifest.json, kept next to it (manifest_index.cairn), so a
// later invocation can copy the entries that did not change instead of serializing them again.
// The index names the manifest it describes by size, inode and mtime: a manifest written or
// edited by anything else no longer matches and is written whole.
import { hash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { endianness } from 'node:os';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './paths.js';

// 3: positions as raw float64s after the header line (JSON numbers cost ~30 ms each way at 10k).
const FORMAT = `cairn-manifest-index/3-${endianness()}`;
export const INDEX_FILE = 'manifest_index.cairn';

export interface ManifestIndex {
  /** Byte offset just after the metadata value. */
  metaEnd: number;
  /** A hash of the entries' ids in order (idsHash): compare before using the positions. */
  ids: string;
  /** Per entry: start (of the value, after `"id":`), baseEnd (where the compile fields begin), end, compiled (1/0). */
  positions: Float64Array;
}

/** Collects where each entry lies as the manifest is written. */
export class IndexPositions {
  private p: Float64Array;
  private n = 0;

  constructor(entries = 1024) {
    this.p = new Float64Array(4 * Math.max(1, entries));
  }

  add(start: number, baseEnd: number, end: number, compiled: boolean): void {
    if (this.n + 4 > this.p.length) {
      const grown = new Float64Array(2 * this.p.length);
      grown.set(this.p);
      this.p = grown;
    }
    const p = this.p;
    p[this.n++] = start;
    p[this.n++] = baseEnd;
    p[this.n++] = end;
    p[this.n++] = compiled ? 1 : 0;
  }

  get positions(): Float64Array {
    return this.p.subarray(0, this.n);
  }
}

const indexPath = (manifest: string) => join(dirname(manifest), INDEX_FILE);
const identity = (manifest: string) => {
  const st = statSync(manifest, { throwIfNoEntry: false });
  return st ? `${st.size}:${st.ino}:${st.ctimeMs}:${st.mtimeMs}` : undefined;
};

/** What names a sequence of entry ids (the index stores no ids: 14,000 strings to decode). */
export function idsHash(ids: readonly string[]): string {
  return hash('sha256', ids.join('\n'));
}

export function writeManifestIndex(manifest: string, metaEnd: number, ids: string, at: IndexPositions): void {
  const header = { format: FORMAT, manifest: identity(manifest), metaEnd, ids, count: at.positions.length };
  try {
    const p = at.positions;
    writeFileAtomic(indexPath(manifest), Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), Buffer.from(p.buffer, p.byteOffset, p.byteLength)]));
  } catch {
    // Without an index the next manifest is written whole: slower, never wrong.
  }
}

/** The index of `manifest`, if there is one and it describes the file as it is now. */
export function readManifestIndex(manifest: string): ManifestIndex | undefined {
  try {
    const buf = readFileSync(indexPath(manifest));
    const nl = buf.indexOf(10);
    const header = JSON.parse(buf.toString('latin1', 0, nl)) as { format?: string; manifest?: string; metaEnd?: number; ids?: string; count?: number };
    if (header.format !== FORMAT || typeof header.metaEnd !== 'number' || typeof header.ids !== 'string' || !header.manifest || header.manifest !== identity(manifest)) return undefined;
    const count = header.count;
    if (typeof count !== 'number' || count % 4 !== 0 || buf.length - nl - 1 !== 8 * count) return undefined;
    const positions = new Float64Array(count);
    Buffer.from(positions.buffer).set(buf.subarray(nl + 1));
    for (let i = 0; i < count; i += 4) if (!(positions[i]! < positions[i + 1]! && positions[i + 1]! < positions[i + 2]!)) return undefined;
    return { metaEnd: header.metaEnd, ids: header.ids, positions };
  } catch {
    return undefined;
  }
}
