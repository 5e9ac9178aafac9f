// Catalog API: GET /catalog, GET /catalog/by-path/{seg...}, GET|DELETE /catalog/{id}, POST /catalog.
import { type Container, type Dataset, isContainer } from './catalog.js';
import { entityJson, childSummary } from './catalog-entities.js';
import { HttpError, isRecord, isStringArray } from './http-util.js';
import { quoteIdent } from './sql-tokenize.js';
import { toDuckSql, displayPath } from './namespace.js';
import type { Route, RouteCtx } from './routes.js';
import { isVersionedType } from './source-types.js';
import { asSeenFromBranch, versionedLookupPath } from './versioned-lookup.js';
import { syncCatalog } from './system-tables.js';

async function sendEntity(ctx: RouteCtx, e: Container | Dataset): Promise<void> {
  const body = await ctx.state.duck.exclusive((s) => entityJson(e, ctx.state.catalog, s));
  ctx.rep.json(200, body);
}

function conflict(ctx: RouteCtx, what: string, name: string, where: string): HttpError {
  // Software answers 409 (ConflictException); Cloud answers 400 (dbt-dremio PR #318). Both carry this text.
  const msg = `Unable to create ${what} ${name}${where ? ` on ${where}` : ''}. An object already exists with that name.`;
  return new HttpError(ctx.api === 'cloud' ? 400 : 409, msg);
}

async function create(ctx: RouteCtx): Promise<void> {
  const body = await ctx.body();
  if (!isRecord(body)) throw new HttpError(400, 'Entity is required');
  const { catalog } = ctx.state;
  const type = body['entityType'];
  if (type === 'space') {
    const name = body['name'];
    if (typeof name !== 'string' || name === '') throw new HttpError(400, 'Space name is required');
    if (catalog.container([name]) || catalog.root([name])) throw conflict(ctx, 'space', name, '');
    return sendEntity(ctx, catalog.add('space', [name]));
  }
  if (type === 'folder') {
    const path = body['path'];
    if (!isStringArray(path) || path.length < 2) throw new HttpError(400, 'Folder path must have at least two components');
    const root = catalog.root(path);
    if (!root) throw new HttpError(404, `Could not find entity with path [[${path[0]}]]`);
    // CatalogServiceHelper.createFolder: versioned sources (NESSIE / ARCTIC) take it (on their default
    // branch); in any other source the parent is the SOURCE itself -> UnsupportedOperationException ->
    // 400 "Can not create a folder inside a [SOURCE]." (dbt-dremio ignores exactly this), and a deeper
    // parent is not a namespace folder -> IllegalArgumentException (400). UNSURE for the deeper case:
    // a source folder the namespace already knows might take it; the emulator refuses (stricter).
    if (root.kind === 'source' && !isVersionedType(root.sourceType)) {
      if (path.length === 2) throw new HttpError(400, 'Can not create a folder inside a [SOURCE].');
      throw new HttpError(400, `Could not find entity with path [[${path.join(', ')}]].`);
    }
    if (catalog.container(path) || catalog.dataset(path)) throw conflict(ctx, 'folder', path[path.length - 1]!, `${root.kind} ${path[0]}`);
    const parent = path.slice(0, -1);
    if (!catalog.container(parent)) throw new HttpError(404, `Could not find entity with path [[${parent.join(', ')}]]`);
    const folder = catalog.add('folder', path);
    await ctx.state.duck.exclusive((s) => syncCatalog(s, catalog));
    return sendEntity(ctx, folder);
  }
  if (type === 'source') throw new HttpError(400, 'Sources are configured through EmulatorOptions.sources in the emulator');
  throw new HttpError(400, `Unsupported entity type [${String(type)}]`);
}

async function remove(ctx: RouteCtx): Promise<void> {
  const { catalog, duck } = ctx.state;
  const id = ctx.params[0]!;
  const e = catalog.byId(id);
  if (!e) throw new HttpError(404, `Could not find entity with id [${id}]`);
  const tag = ctx.query.get('tag');
  if (tag && tag !== e.tag) throw new HttpError(409, `Cannot delete [${displayPath(e.path)}]: tag [${tag}] is not the current tag [${e.tag}]`);
  if (isContainer(e) && (e.kind === 'source' || e.kind === 'home')) throw new HttpError(400, `Cannot delete ${e.kind} [${displayPath(e.path)}] in the emulator`);
  await duck.exclusive(async (s) => {
    const datasets = isContainer(e) ? catalog.removeTree(e.path) : [e];
    for (const d of datasets) {
      await s.run(`DROP ${d.type === 'VIEW' ? 'VIEW' : 'TABLE'} IF EXISTS ${toDuckSql(d.path)}`);
      ctx.state.reflections.deleteForDataset(d.id);
    }
    if (isContainer(e)) {
      // Drop the DuckDB schemas of the tree (schema names are the container path joined by '/').
      const prefix = e.path.join('/').toLowerCase();
      const r = await s.query(`SELECT schema_name FROM duckdb_schemas() WHERE NOT internal`);
      for (const row of r.rows) {
        const name = String(row[0]);
        if (name.toLowerCase() === prefix || name.toLowerCase().startsWith(prefix + '/')) await s.run(`DROP SCHEMA IF EXISTS ${quoteIdent(name)} CASCADE`);
      }
    }
    await syncCatalog(s, catalog);
  });
  ctx.rep.empty(204);
}

export const catalogRoutes: Route[] = [
  {
    method: 'GET', pattern: /^\/catalog$/,
    async handle(ctx) { ctx.rep.json(200, { data: ctx.state.catalog.roots().map(childSummary) }); },
  },
  { method: 'POST', pattern: /^\/catalog$/, handle: create },
  {
    method: 'GET', pattern: /^\/catalog\/by-path\/(.+)$/,
    async handle(ctx) {
      // Segments are URL-encoded one by one; empty segments are dropped (as the server does).
      const path = ctx.params[0]!.split('/').map(decodeURIComponent).filter((p) => p.length > 0);
      const stored = versionedLookupPath(ctx.state.catalog, path, ctx.query.get('versionType'), ctx.query.get('versionValue'));
      const e = ctx.state.catalog.container(stored) ?? ctx.state.catalog.dataset(stored);
      if (!e) throw new HttpError(404, `Could not find entity with path [[${path.join(', ')}]]`);
      const body = await ctx.state.duck.exclusive((s) => entityJson(e, ctx.state.catalog, s));
      ctx.rep.json(200, stored === path ? body : asSeenFromBranch(body, path[0]!));
    },
  },
  {
    method: 'GET', pattern: /^\/catalog\/([^/]+)$/,
    async handle(ctx) {
      const e = ctx.state.catalog.byId(ctx.params[0]!);
      if (!e) throw new HttpError(404, `Could not find entity with id [${ctx.params[0]}]`);
      await sendEntity(ctx, e);
    },
  },
  { method: 'DELETE', pattern: /^\/catalog\/([^/]+)$/, handle: remove },
];

