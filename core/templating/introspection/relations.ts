// What `adapter.get_columns_in_relation` and `adapter.get_relation` hand to templates: dbt's Column
// (`.name`, `.column`, `.dtype`, `.data_type`, `.quoted`, `is_string()`, ...) and a relation that
// also knows its type (`.type`, `.is_table`, `.is_view`).
import type { Column, Dialect, Relation, RelationKind } from '../../../adapters/adapter.js';
import { RelationProxy } from '../relation-proxy.js';

export class DbColumn {
  readonly [Symbol.toStringTag] = 'Column';
  readonly name: string;
  readonly column: string;
  readonly dtype: string;
  readonly quoted: string;
  /** From the type's parameters, as dbt reads them from information_schema: `varchar(20)` → 20. */
  readonly char_size: number | null;
  readonly numeric_precision: number | null;
  readonly numeric_scale: number | null;
  constructor(c: Column, dialect: Dialect) {
    this.name = c.name;
    this.column = c.name;
    this.dtype = c.type;
    this.quoted = dialect.quoteIdentifier(c.name);
    const args = /\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)\s*$/.exec(c.type);
    this.char_size = args && this.is_string() ? Number(args[1]) : null;
    this.numeric_precision = args && /^(decimal|numeric)\b/i.test(c.type) ? Number(args[1]) : null;
    this.numeric_scale = args?.[2] !== undefined && this.numeric_precision !== null ? Number(args[2]) : null;
  }
  /** dbt's Column.data_type: a string column as `character varying(<size>)`, a decimal with its precision. */
  get data_type(): string {
    if (this.is_string()) return this.string_type(this.string_size());
    if (this.is_numeric()) return this.numeric_type(this.dtype.replace(/\s*\(.*$/, ''), this.numeric_precision, this.numeric_scale);
    return this.dtype;
  }
  is_string(): boolean {
    return /^(varchar|character varying|char|character|text|string)\b/i.test(this.dtype);
  }
  is_integer(): boolean {
    return /^(tinyint|smallint|int|integer|bigint|hugeint|ubigint|uinteger|usmallint|utinyint|int\d)\b/i.test(this.dtype);
  }
  is_float(): boolean {
    return /^(float|double|real)\b/i.test(this.dtype);
  }
  is_numeric(): boolean {
    return /^(decimal|numeric)\b/i.test(this.dtype);
  }
  is_number(): boolean {
    return this.is_integer() || this.is_float() || this.is_numeric();
  }
  /** dbt: 256 for a string without a declared size (DuckDB's and Dremio's VARCHAR). */
  string_size(): number {
    if (!this.is_string()) throw new Error(`Called string_size() on non-string field! (column ${this.name} is ${this.dtype})`);
    return /^text$/i.test(this.dtype) || this.char_size === null ? 256 : this.char_size;
  }
  /** Whether this string column can widen to `other`'s size (dbt_utils.union_relations uses it). */
  can_expand_to(other: DbColumn): boolean {
    return this.is_string() && other.is_string() && other.string_size() > this.string_size();
  }
  string_type(size: number): string {
    return `character varying(${size})`;
  }
  numeric_type(dtype: string, precision: number | null, scale: number | null): string {
    return precision === null || scale === null ? dtype : `${dtype}(${precision},${scale})`;
  }
  literal(value: unknown): string {
    return `${String(value)}::${this.data_type}`;
  }
  toString(): string {
    return this.name;
  }
}

/** A relation found in the engine: renders as its quoted name and knows whether it is a table or a view. */
export class FoundRelation extends RelationProxy {
  readonly type: RelationKind;
  readonly is_table: boolean;
  readonly is_view: boolean;
  constructor(rel: Relation, kind: RelationKind, dialect: Dialect) {
    super(rel, dialect.renderRelation(rel));
    this.type = kind;
    this.is_table = kind === 'table';
    this.is_view = kind === 'view';
  }
}

/** The relation a template passed: a relation object (ref, source, this, get_relation), else an error text. */
export function relationArg(v: unknown): Relation | string {
  if (v instanceof RelationProxy) return { database: v.database, schema: v.schema, identifier: v.identifier };
  if (v && typeof v === 'object') {
    const o = v as { schema?: unknown; identifier?: unknown; database?: unknown };
    if (typeof o.schema === 'string' && typeof o.identifier === 'string') {
      return { database: typeof o.database === 'string' && o.database ? o.database : undefined, schema: o.schema, identifier: o.identifier };
    }
  }
  if (typeof v === 'string' && v.startsWith('__dbt__cte__')) return `\`${v}\` is an ephemeral model (a CTE), not a relation in the database`;
  return `expected a relation (from ref(), source(), this or adapter.get_relation()), got ${v === undefined ? 'nothing' : JSON.stringify(String(v))}`;
}
