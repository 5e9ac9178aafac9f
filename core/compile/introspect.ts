// Renders that read the database (see templating/introspection/session.ts): render; when the render
// stops at a request the session has no answer for, get it from the engine and render again, until
// one completes. Every introspective render of a model, hook or operation goes through here.
import type { Adapter, Relation } from '../../adapters/adapter.js';
import { CairnError, isCairnError } from '../errors.js';
import type { ProjectNode } from '../project/types.js';
import { IntrospectionSession, type DbAnswer, type DbRequest, type RenderLog } from '../templating/introspection/session.js';
import { redact } from '../util/redact.js';
import type { CompileContext } from './context.js';

/** More answers than this in one render is a loop in the template, not introspection. */
export const MAX_ANSWERS = 500;

export interface DatabaseAccess {
  /** The open adapter (opened on first use where the command does not otherwise need one). */
  adapter(): Promise<Adapter>;
  signal?: AbortSignal;
  /** Where a completed render's `log`/`print`/`exceptions.warn` messages go. */
  onLog?: (log: RenderLog) => void;
  /** Told each `run_query` / `statement` SQL as it runs. */
  onQuery?: (sql: string) => void;
}

/**
 * Runs `render` (a synchronous render that uses `session`) until it completes, answering what it asks.
 * `session` may come from an attempt already made without a database (its pending request is answered first).
 */
export async function renderWithDatabase<T>(ctx: CompileContext, node: ProjectNode, db: DatabaseAccess, render: (s: IntrospectionSession) => T, session = new IntrospectionSession()): Promise<T> {
  for (;;) {
    const req = session.pending;
    if (req) {
      if (session.answered >= MAX_ANSWERS) {
        throw new CairnError('JINJA_RENDER', `rendering asked the database more than ${MAX_ANSWERS} times (last: ${req.caller})`, {
          node: node.name, file: node.originalFilePath, hint: 'a loop calls run_query or adapter.* once per iteration; gather what you need in one query',
        });
      }
      session.answer(req, await answerRequest(ctx, node, db, req));
    }
    session.restart();
    try {
      const out = render(session);
      for (const l of session.logs) db.onLog?.(l);
      return out;
    } catch (e) {
      if (!session.pending) throw e;
    }
  }
}

async function answerRequest(ctx: CompileContext, node: ProjectNode, db: DatabaseAccess, req: DbRequest): Promise<DbAnswer> {
  const where = { node: node.name, file: node.originalFilePath };
  const adapter = await db.adapter();
  try {
    switch (req.kind) {
      case 'query':
        db.onQuery?.(req.sql);
        return await adapter.execute(req.sql, { fetch: req.fetch, nodeId: node.uniqueId, signal: db.signal });
      case 'relation':
        return await adapter.getRelationKind(req.rel);
      case 'columns': {
        // dbt's adapters answer an empty list for a missing relation; a star() over nothing is
        // wrong SQL far from its cause, so cairn names the relation instead.
        if ((await adapter.getRelationKind(req.rel)) === null) throw missingRelation(ctx, node, req.rel, req.caller);
        return await adapter.getColumns(req.rel);
      }
      case 'list': {
        if (!adapter.listRelations) {
          throw new CairnError('USAGE', `${req.caller} is not supported on ${adapter.type}`, where);
        }
        return await adapter.listRelations({ database: req.database, schema: req.schema });
      }
    }
  } catch (e) {
    if (isCairnError(e)) throw e;
    const message = redact(String((e as Error)?.message ?? e).trim());
    const sql = req.kind === 'query' ? `\n  the query was: ${redact(req.sql).replace(/\s+/g, ' ').slice(0, 300)}` : '';
    throw new CairnError('SQL_ERROR', `${req.caller} failed while rendering ${node.resourceType} ${node.name}: ${message.split('\n')[0]}${sql}`, {
      ...where,
      hint: 'if it reads a model or seed that is not built yet, build that first (e.g. `cairn build --select +' + node.name + '`)',
      cause: e,
    });
  }
}

function missingRelation(ctx: CompileContext, node: ProjectNode, rel: Relation, caller: string): CairnError {
  const text = ctx.dialect.renderRelation(rel);
  const same = (r?: Relation) => !!r && r.identifier === rel.identifier && r.schema === rel.schema && (r.database ?? ctx.target.database) === (rel.database ?? ctx.target.database);
  const maker = [...ctx.nodes.values()].find((n) => same(n.relation) && n.resourceType !== 'source');
  const source = maker ? undefined : [...ctx.sources.values()].find((s) => same(s.relation));
  const hint = maker?.uniqueId === node.uniqueId
    ? 'it is this model\'s own relation (`this`), which does not exist before its first run: read it inside `{% if is_incremental() %}`, or check `load_relation(this)` first'
    : maker
    ? `it is ${maker.resourceType} ${maker.name}, which is not built yet: run \`cairn build --select +${node.name}\` (or \`cairn build --select ${maker.name}\` first)`
    : source
      ? `it is source ${source.sourceName}.${source.name}: load it into the target first`
      : 'check the name, or create it before this model runs';
  return new CairnError('JINJA_RENDER', `${caller}: relation ${text} does not exist (introspected while rendering ${node.resourceType} ${node.name})`, {
    node: node.name, file: node.originalFilePath, hint,
  });
}

/** Render logs as run events: `log(..., info=True)`, `print` and `exceptions.warn` show; plain `log` is debug. */
export function logAsEvent(emit?: (e: { type: 'info' | 'warning'; message: string }) => void): (l: RenderLog) => void {
  return (l) => {
    if (l.level !== 'debug') emit?.({ type: l.level === 'warn' ? 'warning' : 'info', message: l.message });
  };
}

/** Database access that connects (and opens) the target's adapter the first time a render asks. */
export function lazyDatabase(connect: () => Adapter, onLog?: (log: RenderLog) => void): DatabaseAccess & { close(): Promise<void> } {
  let opened: Promise<Adapter> | undefined;
  return {
    onLog,
    adapter: () => (opened ??= (async () => {
      const a = connect();
      await a.open();
      return a;
    })()),
    close: async () => {
      if (opened) await (await opened.catch(() => undefined))?.close();
    },
  };
}
