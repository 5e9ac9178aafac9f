// `--changed-only` data versions for the local files a DuckDB node reads outside any relation: the
// paths in its SQL's file-reading table functions (read_csv('data/*.csv'), read_parquet([...]),
// `from 'orders.parquet'`) and a copy_into node's location folder. The version is a hash of each
// file's path, size and modification time (nanoseconds where the file system keeps them), so a new,
// removed, rewritten or touched file changes it. A glob is versioned by every file under its fixed
// leading folders (more than it reads: a change beside it rebuilds, never the reverse). A path that is
// not a literal, or a remote URL (s3://, https://, ...), cannot be versioned: the node always rebuilds.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { FileVersionRequest, Target } from '../adapter.js';
import { listFiles, localDir } from './duckdb-locations.js';

// DuckDB's table functions whose first argument names files or folders (a literal or a list of literals).
const READERS = 'read_csv|read_csv_auto|read_parquet|parquet_scan|read_json|read_json_auto|read_ndjson|read_ndjson_auto|read_json_objects|read_ndjson_objects|read_text|read_blob|read_xlsx|sniff_csv|delta_scan|iceberg_scan';
const CALL = new RegExp(`\\b(?:${READERS})\\s*\\(\\s*`, 'gi');
// A quoted name after FROM/JOIN is a DuckDB replacement scan: a file.
const REPLACEMENT_SCAN = /\b(?:from|join)\s+'((?:[^']|'')*)'/gi;
// The whole first argument: a literal or a list of literals, then `,` or `)` (not `'a' || b`).
const LITERAL = /^'((?:[^']|'')*)'\s*[,)]/;
const LIST = /^\[\s*('(?:[^']|'')*'(?:\s*,\s*'(?:[^']|'')*')*)\s*,?\s*\]\s*[,)]/;
const REMOTE = /^[a-z][a-z0-9+.-]*:/i; // s3://, https://, hf://, md: ...
const GLOB = /[*?[{]/;
const QUICK = /read_|_scan|sniff_csv|'/i;

const unquote = (s: string) => s.replace(/''/g, "'");

/** The file paths a SQL text reads, or null when one of them is not a literal or not local. */
export function filePathsInSql(sql: string): string[] | null {
  const out: string[] = [];
  for (const m of sql.matchAll(CALL)) {
    const rest = sql.slice(m.index! + m[0].length);
    const one = LITERAL.exec(rest);
    const list = one ? undefined : LIST.exec(rest);
    if (one) out.push(unquote(one[1]!));
    else if (list) for (const l of list[1]!.matchAll(/'((?:[^']|'')*)'/g)) out.push(unquote(l[1]!));
    else return null; // an expression (a variable, a concatenation): cairn cannot tell which files
  }
  for (const m of sql.matchAll(REPLACEMENT_SCAN)) out.push(unquote(m[1]!));
  return out.some((p) => REMOTE.test(p)) ? null : out;
}

function stamp(path: string): string {
  const s = statSync(path, { bigint: true });
  return `${path}\t${s.size}\t${s.mtimeNs}`;
}

/** Every file under `dir` (recursively, all names), stamped. */
function walk(dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(stamp(p));
  }
}

function stampPath(path: string, out: string[]): void {
  let fixed = path;
  if (GLOB.test(path)) {
    const parts = path.split(/[\\/]/);
    const first = parts.findIndex((x) => GLOB.test(x));
    fixed = parts.slice(0, first).join('/') || '/';
    out.push(`glob\t${path}`);
  }
  if (!existsSync(fixed)) out.push(`${fixed}\tmissing`);
  else if (statSync(fixed).isDirectory()) {
    out.push(`dir\t${fixed}`);
    walk(fixed, out);
  } else out.push(stamp(fixed));
}

const hash = (lines: string[]) => `files:${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 32)}`;

export function duckdbFileVersion(req: FileVersionRequest, ctx: { target: Target; projectDir: string }): string | null | undefined {
  const lines: string[] = [];
  if (req.copyInto) {
    // Exactly the files the load would consider (same listing as duckdb-copy-into.ts).
    const dir = localDir(req.copyInto.location, ctx.target, ctx.projectDir);
    lines.push(`copy_into\t${dir}`);
    for (const f of listFiles(dir, req.copyInto.fileFormat)) lines.push(stamp(f));
  }
  if (req.sql && QUICK.test(req.sql)) {
    const paths = filePathsInSql(req.sql);
    if (paths === null) return null;
    // Relative paths mean the project folder (the adapter sets file_search_path to it).
    for (const p of paths) stampPath(isAbsolute(p) ? p : resolve(ctx.projectDir, p), lines);
  }
  return lines.length ? hash(lines) : undefined;
}
