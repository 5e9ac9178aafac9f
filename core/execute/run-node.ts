// One node, start to finish: compile, materialize, and turn any failure into a result that names
// the model, the engine's message and where the compiled SQL is.
import type { Adapter } from '../../adapters/adapter.js';
import { compiledPath, nodeArtifactPath, runPath, writeFileAtomic, writeFileIfChanged } from '../artifacts/paths.js';
import type { NodeResult } from '../artifacts/run-results.js';
import { compileNodeWithDatabase, type CompileOptions } from '../compile/compile-node.js';
import type { DatabaseAccess } from '../compile/introspect.js';
import type { ParsedProject } from '../compile/parse-project.js';
import type { RenderLog } from '../templating/introspection/session.js';
import { isCairnError } from '../errors.js';
import type { ProjectNode } from '../project/types.js';
import { redact } from '../util/redact.js';
import { materializationFor } from './materializations/index.js';
import type { NodeRunContext } from './node-context.js';

export interface RunNodeOptions {
  p: ParsedProject;
  adapter: Adapter;
  node: ProjectNode;
  targetDir: string;
  signal: AbortSignal;
  fullRefresh: boolean;
  threadId: string;
  compileOptions?: Omit<CompileOptions, 'isIncremental'>;
  /** Where `log(..., info=True)`, `print` and `exceptions.warn` of the node's renders go. */
  onLog?: (log: RenderLog) => void;
}

export interface RunNodeResult {
  result: NodeResult;
  compiledSql?: string;
  compiledFile?: string;
  error?: unknown;
}

export async function runNode(o: RunNodeOptions): Promise<RunNodeResult> {
  const { p, node } = o;
  const project = p.ctx.project.name;
  const started = new Date();
  let compiledSql: string | undefined;
  let compiledDone: Date | undefined;
  const executed: string[] = [];
  const compiledFile = compiledPath(o.targetDir, project, nodeArtifactPath(node));
  const db: DatabaseAccess = { adapter: async () => o.adapter, signal: o.signal, onLog: o.onLog };
  const nc: NodeRunContext = {
    p,
    db,
    adapter: o.adapter,
    node,
    signal: o.signal,
    fullRefresh: o.fullRefresh,
    executed,
    async compile(isIncremental) {
      compiledSql = (await compileNodeWithDatabase(p, node, { ...o.compileOptions, isIncremental }, db)).sql;
      compiledDone = new Date();
      writeFileIfChanged(compiledFile, redact(compiledSql));
      return compiledSql;
    },
    async exec(statements) {
      executed.push(...statements);
      writeFileAtomic(runPath(o.targetDir, project, nodeArtifactPath(node)), redact(executed.join(';\n\n') + ';\n'));
      return o.adapter.executeAll(statements, { nodeId: node.uniqueId, signal: o.signal });
    },
  };
  const base = (status: NodeResult['status'], message: string | null): NodeResult => {
    const ended = new Date();
    return {
      uniqueId: node.uniqueId,
      status,
      message,
      failures: null,
      timing: [
        { name: 'compile', started_at: started.toISOString(), completed_at: (compiledDone ?? started).toISOString() },
        { name: 'execute', started_at: (compiledDone ?? started).toISOString(), completed_at: ended.toISOString() },
      ],
      executionTime: (ended.getTime() - started.getTime()) / 1000,
      threadId: o.threadId,
      adapterResponse: {},
      compiledCode: compiledSql,
      relationName: node.relation ? p.ctx.dialect.renderRelation(node.relation) : null,
    };
  };
  try {
    const out = await materializationFor(node)(nc);
    const r = base(out.status, out.message ?? (out.rowsAffected !== undefined ? `OK ${out.rowsAffected}` : 'OK'));
    r.failures = out.failures ?? null;
    r.blocksChildren = out.blocksChildren;
    r.adapterResponse = { _message: 'OK', rows_affected: out.rowsAffected, job_id: out.jobId };
    return { result: r, compiledSql, compiledFile: compiledSql !== undefined ? compiledFile : undefined };
  } catch (e) {
    const msg = redact(errorMessage(e));
    const r = base('error', msg);
    return { result: r, compiledSql, compiledFile: compiledSql !== undefined ? compiledFile : undefined, error: e };
  }
}

export function errorMessage(e: unknown): string {
  if (isCairnError(e)) {
    // A render error (a macro's raise_compiler_error, a missing relation) says where, as dbt's
    // "Compilation Error in model x (models/x.sql)" does; the node is named by the line it is on.
    const { file, line } = e.location;
    const at = file && !e.message.includes(file) ? `${file}${line ? `:${line}` : ''}: ` : '';
    return e.hint ? `${at}${e.message}\n  hint: ${e.hint}` : `${at}${e.message}`;
  }
  const m = String((e as Error)?.message ?? e);
  return m.trim();
}
