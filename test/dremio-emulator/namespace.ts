// How Dremio paths are stored in DuckDB.
//
// A Dremio path [c1, ..., cn, name] (n >= 1 containers, any depth) becomes DuckDB schema "c1/.../cn" and
// table "name". Dremio forbids '/' in names, so the join is unambiguous and components may contain dots
// ("samples.dremio.com"). Examples: "lake"."a"."b"."t" -> "lake/a/b"."t"; "space"."v" -> "space"."v".
// Dremio's INFORMATION_SCHEMA maps to an emulator-owned schema (DuckDB reserves information_schema).
import { quoteIdent } from './sql-tokenize.js';

export const INFO_SCHEMA = '__dremio_information_schema';
export const INTERNAL_SCHEMA = '__dremio_emulator';

export interface DuckName { readonly schema: string; readonly table: string }

export function toDuck(path: readonly string[]): DuckName {
  if (path.length < 2) throw new Error(`a dataset path needs a container: ${path.join('.')}`);
  const containers = path.slice(0, -1);
  const schema = containers.length === 1 && containers[0]!.toLowerCase() === 'information_schema' ? INFO_SCHEMA : containers.join('/');
  return { schema, table: path[path.length - 1]! };
}

export const fromDuckSchema = (schema: string): string[] => schema.split('/');
export const duckSql = (n: DuckName): string => `${quoteIdent(n.schema)}.${quoteIdent(n.table)}`;
export const toDuckSql = (path: readonly string[]): string => duckSql(toDuck(path));

/** Dremio prints paths dot-joined, quoting components that need it (e.g. Samples."samples.dremio.com"). */
export const displayPath = (path: readonly string[]): string =>
  path.map((p) => (/^[A-Za-z_$@][A-Za-z0-9_$@]*$/.test(p) ? p : quoteIdent(p))).join('.');

/** Case-insensitive key: Dremio names are case-insensitive. */
export const pathKey = (path: readonly string[]): string => path.map((p) => p.toLowerCase()).join('\u0000');
