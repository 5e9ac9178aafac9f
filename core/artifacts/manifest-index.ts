// Where each node entry lies in target/manifest.json, kept next to it (manifest_index.cairn), so a
// later invocation can copy the entries that did not change instead of serializing them again.
// The index names the manifest it describes by size, inode and mtime: a manifest written or
// edited by anything else no longer matches and is written whole.
import { hash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './paths.js';

const FORMAT = 'cairn-manifest-index/2';
export const INDEX_FILE = 'manifest_index.cairn';

export interface IndexEntry {
  id: string;
  /** Byte offset of the entry's value (after `"id":`). */
  start: number;
  /** Where the compile fields begin (`,"compiled":...`). */
  baseEnd: number;
  end: number;
  compiled: boolean;
}

export interface ManifestIndex {
  /** Byte offset just after the metadata value. */
  metaEnd: number;
  /** A hash of the entries' ids in order (idsHash): compare before using the positions. */
  ids: string;
  /** Per entry: start, baseEnd, end, compiled (1/0). */
  positions: number[];
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

export function writeManifestIndex(manifest: string, metaEnd: number, entries: readonly IndexEntry[]): void {
  const positions: number[] = [];
  for (const e of entries) positions.push(e.start, e.baseEnd, e.end, e.compiled ? 1 : 0);
  const header = { format: FORMAT, manifest: identity(manifest), metaEnd, ids: idsHash(entries.map((e) => e.id)) };
  try {
    writeFileAtomic(indexPath(manifest), `${JSON.stringify(header)}\n${JSON.stringify(positions)}\n`);
  } catch {
    // Without an index the next manifest is written whole: slower, never wrong.
  }
}

/** The index of `manifest`, if there is one and it describes the file as it is now. */
export function readManifestIndex(manifest: string): ManifestIndex | undefined {
  try {
    const text = readFileSync(indexPath(manifest), 'latin1');
    const nl = text.indexOf('\n');
    const header = JSON.parse(text.slice(0, nl)) as { format?: string; manifest?: string; metaEnd?: number; ids?: string };
    if (header.format !== FORMAT || typeof header.metaEnd !== 'number' || typeof header.ids !== 'string' || !header.manifest || header.manifest !== identity(manifest)) return undefined;
    const positions = JSON.parse(text.slice(nl + 1)) as number[];
    if (!Array.isArray(positions) || positions.length % 4 !== 0) return undefined;
    for (let i = 0; i < positions.length; i += 4) if (!(positions[i]! < positions[i + 1]! && positions[i + 1]! < positions[i + 2]!)) return undefined;
    return { metaEnd: header.metaEnd, ids: header.ids, positions };
  } catch {
    return undefined;
  }
}
