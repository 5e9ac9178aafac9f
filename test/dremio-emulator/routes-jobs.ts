// POST /sql, GET /job/{id}, GET /job/{id}/results, POST /job/{id}/cancel.
import { HttpError, isRecord, isStringArray } from './http-util.js';
import { type JobReference, jobStatusBody } from './jobs.js';
import type { Route } from './routes.js';

const MAX_LIMIT = 500;
const notFound = (id: string): HttpError => new HttpError(404, `Could not find a job with id [${id}]`);

function intParam(q: URLSearchParams, name: string, dflt: number): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new HttpError(400, `${name} must be a non-negative integer`);
  return n;
}

export const jobRoutes: Route[] = [
  {
    method: 'POST', pattern: /^\/sql$/,
    async handle(ctx) {
      const body = await ctx.body();
      if (!isRecord(body) || typeof body['sql'] !== 'string') throw new HttpError(400, 'Query is required: provide a "sql" string');
      // dbt-dremio sends "context": null explicitly; null means "no context".
      const context = body['context'] ?? undefined;
      if (context !== undefined && !isStringArray(context)) throw new HttpError(400, '"context" must be an array of strings');
      const refs = body['references'] ?? undefined;
      if (refs !== undefined && !isRecord(refs)) throw new HttpError(400, '"references" must be an object');
      const job = ctx.state.jobs.submit(body['sql'], ctx.user, ctx.api, context, refs as Record<string, JobReference> | undefined);
      if (job.responseDropped) { ctx.req.socket.destroy(); return; }
      ctx.rep.json(200, { id: job.id });
    },
  },
  {
    method: 'GET', pattern: /^\/job\/([^/]+)$/,
    async handle(ctx) {
      const job = await ctx.state.jobs.poll(ctx.params[0]!);
      if (!job) throw notFound(ctx.params[0]!);
      ctx.rep.json(200, jobStatusBody(job));
    },
  },
  {
    method: 'GET', pattern: /^\/job\/([^/]+)\/results$/,
    async handle(ctx) {
      const offset = intParam(ctx.query, 'offset', 0);
      const limit = intParam(ctx.query, 'limit', 100);
      if (limit > MAX_LIMIT) throw new HttpError(400, `limit can not exceed ${MAX_LIMIT} rows`);
      const job = ctx.state.jobs.get(ctx.params[0]!);
      if (!job) throw notFound(ctx.params[0]!);
      if (job.state !== 'COMPLETED' || !job.result) throw new HttpError(400, `Can not fetch details for a job that is in [${job.state}] state.`);
      ctx.rep.json(200, {
        rowCount: job.result.rows.length,
        schema: job.result.schema,
        rows: job.result.rows.slice(offset, offset + limit),
      });
    },
  },
  {
    method: 'POST', pattern: /^\/job\/([^/]+)\/cancel$/,
    async handle(ctx) {
      await ctx.body();
      const id = ctx.params[0]!;
      const r = ctx.state.jobs.cancel(id, ctx.user);
      if (r === 'unknown') throw notFound(id);
      if (r === 'final') throw new HttpError(409, `Job ${id} may have completed and cannot be canceled.`);
      ctx.rep.empty(204);
    },
  },
];
