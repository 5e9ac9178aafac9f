// Where each node entry lies in target/manifest.json, kept next to it (manifest_index.cairn), so a
// later invocation can copy the entries that did not change instead of serializing them again.
// The index names the manifest it describes by size, inode and mtime: a manifest written or
// edited by anything else no longer matches and is written whole.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './paths.js';

const FORMAT = 'cairn-manifest-index/1';
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
  entries: IndexEntry[];
}

const indexPath = (manifest: string) => join(dirname(manifest), INDEX_FILE);
const identity = (manifest: string) => {
  const st = statSync(manifest, { throwIfNoEntry: false });
  return st ? `${st.size}:${st.ino}:${st.ctimeMs}:${st.mtimeMs}` : undefined;
};

export function writeManifestIndex(manifest: string, metaEnd: number, entries: readonly IndexEntry[]): void {
  const lines = [JSON.stringify({ format: FORMAT, manifest: identity(manifest), metaEnd })];
  for (const e of entries) lines.push(`${e.id}\t${e.start}\t${e.baseEnd}\t${e.end}\t${e.compiled ? 1 : 0}`);
  try {
    writeFileAtomic(indexPath(manifest), lines.join('\n') + '\n');
  } catch {
    // Without an index the next manifest is written whole: slower, never wrong.
  }
}

/** The index of `manifest`, if there is one and it describes the file as it is now. */
export function readManifestIndex(manifest: string): ManifestIndex | undefined {
  let text: string;
  try {
    text = readFileSync(indexPath(manifest), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  let header: { format?: string; manifest?: string; metaEnd?: number };
  try {
    header = JSON.parse(lines[0]!) as typeof header;
  } catch {
    return undefined;
  }
  if (header.format !== FORMAT || typeof header.metaEnd !== 'number' || !header.manifest || header.manifest !== identity(manifest)) return undefined;
  const entries: IndexEntry[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    const f = line.split('\t');
    const [start, baseEnd, end] = [Number(f[1]), Number(f[2]), Number(f[3])];
    if (f.length !== 5 || !(start < baseEnd && baseEnd < end)) return undefined;
    entries.push({ id: f[0]!, start, baseEnd, end, compiled: f[4] === '1' });
  }
  return { metaEnd: header.metaEnd, entries };
}
