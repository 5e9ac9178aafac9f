/**
 * Thin wrapper around sqlparser-rs (WASM build, @guanmingchiu/sqlparser-ts).
 *
 * Why this parser: it has a real DuckDB dialect (read_csv(..., header=true) named args, `::`
 * casts, SELECT * EXCLUDE/REPLACE, QUALIFY, struct/list literals, FILTER) and a permissive
 * generic dialect for Dremio's ANSI-style SQL. node-sql-parser and libpg-query reject several
 * of those DuckDB extensions.
 */
import { init, parse } from '@guanmingchiu/sqlparser-ts';

/**
 * The AST is serde's JSON encoding of sqlparser-rs' Rust enums ({"Variant": payload}). The
 * package's TypeScript typings lag behind the JSON actually produced (spans, named-arg operators,
 * ObjectName parts), so we deliberately walk it as untyped JSON and check shapes at runtime.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AST = any;

// The WASM module is instantiated asynchronously, once, by loadSqlParser(): the async entry points
// (docs generate, cairn lineage) await it, and the analysis itself stays synchronous. Not at module
// load (top-level await): the CLI bundle is CommonJS, so V8 can cache its compiled code, and there is
// no top-level await in CommonJS. A failure is remembered, not thrown: every analysis then reports it
// as unresolved.
let loaded = false;
let initError: string | undefined;

export async function loadSqlParser(): Promise<void> {
  if (loaded || initError) return;
  try {
    await init();
    loaded = true;
  } catch (e) {
    initError = `SQL parser unavailable: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Dialects tried in order. DuckDB's sqlparser dialect misses a few Postgres-isms DuckDB accepts
 * (e.g. `AS MATERIALIZED` CTEs), so we fall back rather than give up on the first error. */
const DIALECTS: Record<'duckdb' | 'dremio', string[]> = {
  duckdb: ['duckdb', 'postgresql', 'generic'],
  dremio: ['generic', 'postgresql'],
};

export type ParseResult = { ok: true; statements: AST[] } | { ok: false; error: string };

export function parseSql(sql: string, dialect: 'duckdb' | 'dremio' = 'duckdb'): ParseResult {
  if (!loaded) return { ok: false, error: initError ?? 'the SQL parser is not loaded (await loadSqlParser() first)' };
  let firstError: string | undefined;
  for (const d of DIALECTS[dialect]) {
    try {
      return { ok: true, statements: parse(sql, d as never) as AST[] };
    } catch (e) {
      // Report the error of the preferred dialect: it is the most relevant to the user.
      firstError ??= e instanceof Error ? e.message : String(e);
    }
  }
  return { ok: false, error: `cannot parse SQL: ${firstError}` };
}

/** Lower-cased, unquoted parts of a relation name as written, e.g. `"main"."Orders"` -> main, orders.
 * DuckDB and Dremio resolve identifiers case-insensitively even when quoted. */
export function splitRelationName(name: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i];
    if (ch === '"' || ch === '`') {
      if (quoted && name[i + 1] === ch) {
        cur += ch; // doubled quote inside a quoted identifier
        i++;
      } else quoted = !quoted;
    } else if (ch === '.' && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim().toLowerCase());
}

/** Parts of an AST ObjectName (`[{Identifier: {value}}, ...]`), lower-cased. */
export function objectNameParts(name: AST): string[] {
  if (!Array.isArray(name)) return [];
  return name.map((p: AST) => String(p?.Identifier?.value ?? p?.value ?? '').toLowerCase());
}

export const nameKey = (parts: string[]): string => parts.join('\u0000');
