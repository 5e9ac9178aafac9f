// What `run_query` and `load_result(...).table` return: the parts of an agate Table dbt code uses.
// `table.rows` and `table.columns` are sequences indexable by position and by name (`row[0]`,
// `row['id']`, `table.columns['id']`), `table.columns[0].values()` lists a column, and
// `table.column_names` / `column_types` / `print_table()` are there too.
//
// The classes carry a Symbol.toStringTag: nunjucks' Jinja compat layer sends every "[object Object]"
// to Python's dict methods, and `column.values()` must be the column's values, not the object's.
import type { Column, ExecResult } from '../../../adapters/adapter.js';

export type Cell = string | number | boolean | null | unknown[] | Record<string, unknown>;

/** A row: a list of cells that also answers to column names. */
export type AgateRow = Cell[] & Record<string, Cell>;

export class AgateColumn {
  readonly [Symbol.toStringTag] = 'AgateColumn';
  constructor(readonly name: string, readonly data_type: string, private readonly cells: Cell[]) {}
  values(): Cell[] {
    return [...this.cells];
  }
  values_distinct(): Cell[] {
    return [...new Set(this.cells)];
  }
  values_without_nulls(): Cell[] {
    return this.cells.filter((v) => v !== null);
  }
  toString(): string {
    return `<agate.Column ${this.name}>`;
  }
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** One engine value as Jinja should see it: numbers as numbers, dates and times as their SQL text. */
export function cellOf(v: unknown, type: string): Cell {
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : String(v);
  if (v instanceof Date) {
    const day = `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
    if (/^date$/i.test(type)) return day;
    const ms = v.getUTCMilliseconds();
    return `${day} ${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}:${pad(v.getUTCSeconds())}${ms ? `.${pad(ms * 1000, 6)}` : ''}`;
  }
  if (Array.isArray(v)) return v.map((x) => cellOf(x, ''));
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, cellOf(x, '')]));
  return v as Cell;
}

/** Names mapped onto a list without shadowing what lists already have (`length`, `0`, ...). */
function withNames<T>(items: T[], names: readonly string[]): T[] {
  names.forEach((n, i) => {
    if (!(n in items)) Object.defineProperty(items, n, { value: items[i], enumerable: false, configurable: true });
  });
  return items;
}

function rowOf(cells: Cell[], names: readonly string[]): AgateRow {
  const row = withNames(cells, names) as AgateRow;
  // Python's row.keys()/values()/items() (arrays have their own iterator versions).
  Object.defineProperties(row, {
    keys: { value: () => [...names], enumerable: false },
    values: { value: () => [...cells], enumerable: false },
    items: { value: () => names.map((n, i) => [n, cells[i]]), enumerable: false },
    get: { value: (k: string, d: Cell = null) => (names.includes(k) ? cells[names.indexOf(k)]! : d), enumerable: false },
  });
  return row;
}

export class AgateTable {
  readonly [Symbol.toStringTag] = 'AgateTable';
  readonly column_names: string[];
  readonly column_types: string[];
  readonly rows: AgateRow[];
  readonly columns: AgateColumn[];
  constructor(columns: readonly Column[], records: ReadonlyArray<Record<string, unknown>>, private readonly printer?: (text: string) => void) {
    this.column_names = columns.map((c) => c.name);
    this.column_types = columns.map((c) => c.type);
    const data = records.map((r) => columns.map((c) => cellOf(r[c.name], c.type)));
    this.rows = withNames(data.map((cells) => rowOf(cells, this.column_names)), []);
    this.columns = withNames(columns.map((c, i) => new AgateColumn(c.name, c.type, data.map((cells) => cells[i]!))), this.column_names);
  }

  static of(r: ExecResult, printer?: (text: string) => void): AgateTable {
    const rows = r.rows ?? [];
    const cols = r.columns ?? (rows[0] ? Object.keys(rows[0]).map((name) => ({ name, type: '' })) : []);
    return new AgateTable(cols, rows, printer);
  }

  static empty(): AgateTable {
    return new AgateTable([], []);
  }

  /** `len(table)` / `| length`: the number of rows, as in agate. */
  get length(): number {
    return this.rows.length;
  }

  /** `{% for row in table %}` iterates the rows, as agate does (dbt_utils loops over tables so). */
  [Symbol.iterator](): Iterator<AgateRow> {
    return this.rows[Symbol.iterator]();
  }

  /** The rows as plain lists (what `load_result(...).data` is). */
  data(): Cell[][] {
    return this.rows.map((r) => [...r]);
  }

  /** agate's print_table: a text grid, to the log. */
  print_table(maxRows = 20): string {
    const head = this.column_names;
    const body = this.rows.slice(0, maxRows).map((r) => r.map((c) => (c === null ? '' : typeof c === 'object' ? JSON.stringify(c) : String(c))));
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
    const text = [line(head), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...body.map(line)];
    if (this.rows.length > maxRows) text.push(`... ${this.rows.length - maxRows} more rows`);
    this.printer?.(text.join('\n'));
    return '';
  }

  toString(): string {
    return `<agate.Table ${this.rows.length} rows x ${this.column_names.length} columns>`;
  }
}
