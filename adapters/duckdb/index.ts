import type { AdapterProvider } from '../adapter.js';
import { DuckDBAdapter } from './duckdb-adapter.js';
import { duckdbDialect } from './duckdb-dialect.js';

export const duckdbProvider: AdapterProvider = {
  dialect: () => duckdbDialect,
  connect: (target, ctx) => new DuckDBAdapter(target, ctx.projectDir),
};
