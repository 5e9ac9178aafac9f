// The emulator's DuckDB: one in-memory database, one connection, and a queue so that concurrent HTTP
// requests never interleave statements (DuckDB connections are not meant for concurrent use, and a
// Dremio job's multi-step emulation, e.g. validate-then-create, must be atomic with respect to others).
import { DuckDBInstance, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';

export interface DuckResult {
  readonly columns: ReadonlyArray<{ name: string; type: DuckDBType }>;
  readonly rows: DuckDBValue[][];
}

export class Duck {
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(private readonly instance: DuckDBInstance, private readonly conn: DuckDBConnection) {}

  static async open(): Promise<Duck> {
    const instance = await DuckDBInstance.create(':memory:');
    return new Duck(instance, await instance.connect());
  }

  /** Runs `fn` with exclusive use of the connection. */
  exclusive<T>(fn: (c: DuckSession) => Promise<T>): Promise<T> {
    const next = this.tail.then(() => fn(this.session));
    this.tail = next.catch(() => undefined);
    return next;
  }

  query(sql: string): Promise<DuckResult> {
    return this.exclusive((s) => s.query(sql));
  }

  /** Rows as plain objects with JSON-friendly values (bigints become strings): for test assertions. */
  rows(sql: string): Promise<Record<string, unknown>[]> {
    return this.exclusive(async () => (await this.conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[]);
  }

  private readonly session: DuckSession = {
    query: async (sql) => {
      const r = await this.conn.runAndReadAll(sql);
      const names = r.columnNames();
      const types = r.columnTypes();
      return { columns: names.map((name, i) => ({ name, type: types[i]! })), rows: r.getRows() as DuckDBValue[][] };
    },
    run: async (sql) => { await this.conn.run(sql); },
  };

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

/** What code holding the exclusive lock may do. */
export interface DuckSession {
  query(sql: string): Promise<DuckResult>;
  run(sql: string): Promise<void>;
}
