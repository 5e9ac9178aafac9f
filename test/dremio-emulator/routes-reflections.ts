// GET /dataset/{id}/reflection, POST /reflection, GET|PUT|DELETE /reflection/{id}, GET /reflection.
import { isContainer } from './catalog.js';
import { HttpError, isRecord } from './http-util.js';
import type { Route, RouteCtx } from './routes.js';
import { toDuckSql } from './namespace.js';
import { fromDuck } from './result-set.js';
import { validateReflection } from './reflection-rules.js';

const REFLECTION_TYPES = ['RAW', 'AGGREGATION'];

function requireDataset(ctx: RouteCtx, id: unknown): string {
  const e = typeof id === 'string' ? ctx.state.catalog.byId(id) : undefined;
  if (!e || isContainer(e)) throw new HttpError(404, `Could not find entity with id [${String(id)}]`);
  return e.id;
}

function requireReflection(ctx: RouteCtx) {
  const r = ctx.state.reflections.get(ctx.params[0]!);
  if (!r) throw new HttpError(404, `Reflection not found: ${ctx.params[0]}`);
  return r;
}

/** Checks the definition against the dataset's live columns (reflection-rules.ts). */
async function validateAgainstDataset(ctx: RouteCtx, datasetId: string, body: Record<string, unknown>): Promise<void> {
  const ds = ctx.state.catalog.byId(datasetId);
  if (!ds || isContainer(ds)) return;
  const columns = fromDuck(await ctx.state.duck.query(`SELECT * FROM ${toDuckSql(ds.path)} LIMIT 0`)).schema;
  validateReflection(body, columns);
}

export const reflectionRoutes: Route[] = [
  {
    method: 'GET', pattern: /^\/dataset\/([^/]+)\/reflection$/,
    async handle(ctx) {
      const id = requireDataset(ctx, ctx.params[0]);
      ctx.rep.json(200, { data: ctx.state.reflections.list(id) });
    },
  },
  {
    method: 'GET', pattern: /^\/reflection$/,
    async handle(ctx) { ctx.rep.json(200, { data: ctx.state.reflections.list() }); },
  },
  {
    method: 'POST', pattern: /^\/reflection$/,
    async handle(ctx) {
      const body = await ctx.body();
      if (!isRecord(body)) throw new HttpError(400, 'Reflection definition is required');
      if (typeof body['name'] !== 'string' || body['name'] === '') throw new HttpError(400, 'Reflection name is required');
      if (!REFLECTION_TYPES.includes(String(body['type']))) throw new HttpError(400, `Invalid reflection type [${String(body['type'])}]`);
      const datasetId = requireDataset(ctx, body['datasetId']);
      await validateAgainstDataset(ctx, datasetId, body);
      ctx.rep.json(200, ctx.state.reflections.create(body));
    },
  },
  {
    method: 'GET', pattern: /^\/reflection\/([^/]+)$/,
    async handle(ctx) { ctx.rep.json(200, requireReflection(ctx)); },
  },
  {
    method: 'PUT', pattern: /^\/reflection\/([^/]+)$/,
    async handle(ctx) {
      const r = requireReflection(ctx);
      const body = await ctx.body();
      if (!isRecord(body)) throw new HttpError(400, 'Reflection definition is required');
      // Optimistic concurrency: the tag must be the current one.
      if (body['tag'] !== undefined && body['tag'] !== r.tag) {
        throw new HttpError(409, `Reflection [${r.id}] has been modified: tag [${String(body['tag'])}] does not match [${r.tag}]`);
      }
      await validateAgainstDataset(ctx, r.datasetId, { ...r, ...body });
      ctx.rep.json(200, ctx.state.reflections.update(r.id, body));
    },
  },
  {
    method: 'DELETE', pattern: /^\/reflection\/([^/]+)$/,
    async handle(ctx) {
      requireReflection(ctx);
      ctx.state.reflections.delete(ctx.params[0]!);
      ctx.rep.empty(204);
    },
  },
];
