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
  readonly data_type: string;
  readonly quoted: string;
  constructor(c: Column, dialect: Dialect) {
    this.name = c.name;
    this.column = c.name;
    this.dtype = c.type;
    this.data_type = c.type;
    this.quoted = dialect.quoteIdentifier(c.name);
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
