// Runs a script task: imports its module and calls its function with a context that reaches the
// engine only through the adapter (execute SQL, read rows, replace the task's own table with rows).
// A thrown error fails the node like a failed statement, so retries and skips work the same.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ExecResult } from '../../adapters/adapter.js';
import { CairnError } from '../errors.js';
import type { Materialization } from '../execute/node-context.js';
import { importModule } from '../util/import-module.js';

export interface TaskContext {
  ds: string;
  vars: Record<string, unknown>;
  target: { name: string; type: string; schema: string };
  /** This task's output relation, rendered (`"main"."load_orders"`). */
  this: string;
  ref(name: string): string;
  execute(sql: string): Promise<ExecResult>;
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  /** Replaces this task's table with `rows` (atomically); returns the row count. */
  writeRows(rows: readonly Record<string, unknown>[], opts?: { columns?: Record<string, string> }): Promise<number>;
  signal: AbortSignal;
  log(message: string): void;
}

const sqlType = (v: unknown): string => (typeof v === 'number' ? (Number.isInteger(v) ? 'BIGINT' : 'DOUBLE') : typeof v === 'boolean' ? 'BOOLEAN' : 'VARCHAR');

export const taskMaterialization: Materialization = async (nc) => {
  const { p, node, adapter } = nc;
  const d = adapter.dialect;
  const rel = node.relation!;
  const self = d.renderRelation(rel);
  const lit = (v: unknown): string => (v === null || v === undefined ? 'null' : typeof v === 'number' || typeof v === 'boolean' ? String(v) : v instanceof Date ? d.quoteString(v.toISOString()) : d.quoteString(String(v)));
  let rowsWritten: number | undefined;
  const ctx: TaskContext = {
    ds: p.ctx.ds,
    vars: { ...p.ctx.project.vars, ...p.ctx.cliVars },
    target: { name: p.ctx.target.name, type: p.ctx.target.type, schema: p.ctx.target.schema },
    this: self,
    ref(name) {
      const ids = p.ctx.refIndex.get(name);
      const n = ids && p.nodes.get(ids[0]!);
      if (!n?.relation) throw new CairnError('REF_NOT_FOUND', `task ${node.name} refers to \`${name}\`, which is not a model, seed or task`, { node: node.name, file: node.originalFilePath });
      return d.renderRelation(n.relation);
    },
    execute: (sql) => nc.exec([sql]),
    async query(sql) {
      const r = await adapter.execute(sql, { fetch: true, nodeId: node.uniqueId, signal: nc.signal });
      return (r.rows ?? []) as never[];
    },
    async writeRows(rows, opts = {}) {
      const first = rows[0] ?? {};
      const cols = Object.keys(opts.columns ?? first);
      if (!cols.length) throw new CairnError('USAGE', `task ${node.name} wrote no columns`, { node: node.name, hint: 'pass at least one row, or opts.columns for an empty table' });
      const types = cols.map((c) => opts.columns?.[c] ?? sqlType(first[c]));
      const select = rows.length
        ? `select * from (values ${rows.map((r) => `(${cols.map((c, i) => `cast(${lit(r[c])} as ${types[i]})`).join(', ')})`).join(',\n')}) as t(${cols.map(d.quoteIdentifier).join(', ')})`
        : `select ${cols.map((c, i) => `cast(null as ${types[i]}) as ${d.quoteIdentifier(c)}`).join(', ')} where 1 = 0`;
      await adapter.ensureSchema(rel);
      const existing = await adapter.getRelationKind(rel);
      await nc.exec(d.table({ target: rel, tmp: d.scratchRelation(rel, '__cairn_tmp'), backup: d.scratchRelation(rel, '__cairn_backup'), sql: select, existing, config: node.config }));
      rowsWritten = rows.length;
      return rows.length;
    },
    signal: nc.signal,
    log: (m) => nc.executed.push(`-- ${m.replace(/\n/g, ' ')}`),
  };
  // A fresh URL per attempt: a retry re-imports the module rather than reusing a half-initialised one.
  const url = `${pathToFileURL(join(p.ctx.projectDir, node.originalFilePath)).href}?attempt=${Date.now()}`;
  const mod = await importModule<{ default?: unknown; run?: unknown }>(url);
  const fn = (typeof mod.default === 'function' ? mod.default : mod.run) as (c: TaskContext) => Promise<unknown>;
  const out = (await fn(ctx)) as { rowsAffected?: number } | number | undefined;
  const rows = typeof out === 'number' ? out : out?.rowsAffected ?? rowsWritten;
  return { status: 'success', rowsAffected: rows };
};
