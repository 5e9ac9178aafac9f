// What statement handlers get: the locked DuckDB session, the catalog, and the request's context.
import type { Catalog } from './catalog.js';
import type { DuckResult } from './duck.js';

export interface ExecEnv {
  readonly catalog: Catalog;
  /** The REST request's `context` (path that unqualified names resolve in). */
  readonly context?: readonly string[];
  /** The REST request's `references` (source -> branch): paths in versioned catalogs use that branch. */
  readonly references?: Readonly<Record<string, { type: string; value: string }>>;
  /** `@source` in COPY INTO -> local directory. */
  readonly storageRoots: Readonly<Record<string, string>>;
  /** Runs DuckDB SQL (under the job's lock) and records it: jobs expose the list for assertions. */
  run(sql: string): Promise<void>;
  query(sql: string): Promise<DuckResult>;
}
