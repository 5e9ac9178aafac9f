// The partial-parse cache file (partial-parse.ts keeps the open cache): its format, the project-wide
// key, one model's entry line, and appending entries without opening the cache.
//
// Format: JSON lines. Line 1 is the header; each further line is one entry
// (`path\thash\tstat\tcheck\tjson`, stat possibly empty, check the CRC-32 of the JSON's bytes, so
// that bytes changed in place are found even where they still decode), and a later line for a path
// replaces an earlier one. After a few edits the new entries are appended (no rewrite of a file
// that is ~1.5 kB per model); the file is rewritten whole when entries disappear, the header
// changes, or superseded lines pile up.
import { createHash, hash } from 'node:crypto';
import { appendFileSync, closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { CompileContext } from '../compile/context.js';
import type { LoadedProject } from '../project/load-project.js';
import type { SourceFile } from '../project/discover.js';
import type { ProjectNode } from '../project/types.js';
import { CAIRN_VERSION } from '../version.js';
import { globalMacrosDigest } from '../templating/global-macros.js';

export const CACHE_FILE = 'partial_parse.cairn';
// 3: file stats; 4: schema YAML merge keys resolved (patches parsed before may differ); 5: checks.
export const FORMAT = 'cairn-partial-parse/5';
/** A file whose mtime is this close to when it was parsed may change again within the same mtime tick. */
const RACY_MS = 2000;

export interface Header {
  format: string;
  cairnVersion: string;
  key: string;
  /** env_var() name → sha256 of the value seen by the last parse (null: unset). Hashes, never values:
   * env vars carry secrets, and target/ is not a place for them. */
  env: Record<string, string | null>;
}

const sha = (s: string): string => hash('sha256', s);

/**
 * The project-wide inputs that are not files in the project's folders: cairn's version and its global
 * macros (templates/global_macros), the rendered
 * dbt_project.yml, the profile and target, --vars, --ds, --full-refresh. The parse snapshot checks
 * these and the stats of the files instead of reading every macro and YAML file again.
 */
export function settingsKey(loaded: LoadedProject, ctx: CompileContext): string {
  return keyOf((part) => {
    part('cairn', CAIRN_VERSION);
    part('global_macros', globalMacrosDigest());
    part('project', JSON.stringify(loaded.config.raw));
    part('profile', loaded.profileName);
    part('target', JSON.stringify(loaded.target));
    part('vars', JSON.stringify(ctx.cliVars));
    part('ds', ctx.ds);
    part('full_refresh', String(ctx.fullRefresh));
  });
}

/** The partial-parse cache's key: the settings, and the text of every macro and schema YAML file. */
export function projectKey(loaded: LoadedProject, ctx: CompileContext, settings = settingsKey(loaded, ctx)): string {
  return keyOf((part) => {
    part('settings', settings);
    for (const f of loaded.macroFiles) part(`macro:${f.path}`, f.content);
    // The YAML text, not what it parses to: the key is known before the YAML is parsed.
    for (const y of loaded.yamlFiles) part(`yaml:${y.path}`, y.content);
  });
}

function keyOf(parts: (part: (label: string, v: string) => void) => void): string {
  const h = createHash('sha256');
  parts((label, v) => h.update(`${label}\u0000${v.length}\u0000${v}\u0000`));
  return h.digest('hex');
}

/**
 * What names the cache file's exact bytes for whoever points into it (the parse snapshot): inode,
 * size, mtime and ctime. Any write by anyone else changes it, and the pointers are then not
 * trusted; ctime because a tool that writes a file in place can set its mtime back, but not that.
 */
export function cacheFileIdentity(file: string): string | undefined {
  const st = statSync(file, { throwIfNoEntry: false });
  return st ? `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}` : undefined;
}

/**
 * Appends freshly parsed entries to an existing cache file without reading it whole (the parse that
 * reused the parse snapshot never opened the cache): only when its header is the one this project
 * and environment would write, so nothing is appended to a cache that is about to be dropped.
 */
export function appendToPartialParse(targetDir: string, key: string, env: Record<string, string | null>, entries: ReadonlyArray<{ file: SourceFile; node: ProjectNode }>): void {
  if (process.env.CAIRN_NO_PARTIAL_PARSE === '1' || !entries.length) return;
  const file = join(targetDir, CACHE_FILE);
  try {
    const first = readFirstLine(file);
    const header = JSON.parse(first) as Header;
    if (header.format !== FORMAT || header.cairnVersion !== CAIRN_VERSION || header.key !== key) return;
    if (Object.entries(env).some(([k, v]) => header.env[k] !== v)) return;
    appendFileSync(file, entries.map(({ file: f, node }) => entryLine(f, node) + '\n').join(''));
  } catch {
    // no cache, or not ours: the next full parse rebuilds it
  }
}

function readFirstLine(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    const buf = Buffer.allocUnsafe(1 << 16);
    for (let at = 0; ; ) {
      const n = readSync(fd, buf, 0, buf.length, at);
      const nl = buf.subarray(0, n).indexOf(10);
      chunks.push(Buffer.from(buf.subarray(0, nl >= 0 ? nl : n)));
      if (nl >= 0 || n === 0) return Buffer.concat(chunks).toString('utf8');
      at += n;
    }
  } finally {
    closeSync(fd);
  }
}

/** A model's cache line; node.checksum is the sha256 of f.content (parse-models.ts), computed once. */
export function entryLine(f: SourceFile, node: ProjectNode): string {
  const stat = f.statKey?.();
  return cacheLine(f.path, node.checksum, stat && settled(stat) ? stat : '', JSON.stringify({ path: f.path, node }));
}

/** An entry line: its path, the hash it is valid for, the stat it is trusted by, its check, its JSON. */
export function cacheLine(path: string, key: string, stat: string, json: string): string {
  return `${path}\t${key}\t${stat}\t${entryCheck(json)}\t${json}`;
}

/**
 * The check of an entry's JSON (its text, or its bytes as read): CRC-32, as 8 hex digits. A guard
 * against damage, not against forgery: whoever can write target/ can write the models too. ~10 ms
 * over the ~20 MB of a 10,000-model cache.
 */
export function entryCheck(json: string | Uint8Array): string {
  return crc32(json).toString(16).padStart(8, '0');
}

/** Whether a file's mtime is old enough that a later edit cannot share it (git's "racy" check). */
export function settled(stat: string): boolean {
  return Date.now() - Number(stat.slice(stat.lastIndexOf(':') + 1)) > RACY_MS;
}

export function envHash(v: string | undefined): string | null {
  return v === undefined ? null : sha(v);
}
