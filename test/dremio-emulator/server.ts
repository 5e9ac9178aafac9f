// The Dremio REST API emulator (a test double): a node:http server on 127.0.0.1 that speaks Dremio's
// wire protocol (see /work/shared/docs/dremio-rest.md §9) and executes SQL on in-memory DuckDB.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Auth } from './auth.js';
import { Catalog } from './catalog.js';
import { Duck } from './duck.js';
import { Faults } from './faults.js';
import { HttpError, readJson, reply } from './http-util.js';
import { type Job, JobStore } from './jobs.js';
import { toDuckSql } from './namespace.js';
import { ReflectionStore } from './reflections.js';
import { fromDuck } from './result-set.js';
import { catalogRoutes } from './routes-catalog.js';
import { jobRoutes } from './routes-jobs.js';
import { reflectionRoutes } from './routes-reflections.js';
import type { EmulatorState, Route } from './routes.js';
import { SOURCE_TYPES, type SourceType } from './source-types.js';
import { installSystemTables, syncCatalog } from './system-tables.js';

export interface EmulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** 'software' (default) serves /apiv2/login, /api/v3 and the Cloud prefix; 'cloud' serves only /v0/projects/{projectId}. */
  mode?: 'software' | 'cloud';
  projectId?: string;
  /** Username -> password; default {dremio: 'dremio123'}. */
  users?: Record<string, string>;
  /** Personal access tokens accepted as `Bearer <pat>` (they act as the first user). */
  pats?: string[];
  /** Status polls a job stays non-final; default 3 (0 when jobDurationMs is set). */
  jobPolls?: number;
  /** Wall time before a job can be final ("jobs of fixed duration"); default 0. */
  jobDurationMs?: number;
  /** File-system sources of type NAS (Iceberg CTAS, DML allowed, folders made on write); `$scratch` (INTERNAL) always exists. */
  sources?: string[];
  /** Versioned Iceberg catalogs of type NESSIE: branches, tables and views, folders must be created. */
  catalogs?: string[];
  /** Non-versioned Iceberg REST catalogs (RESTCATALOG, Polaris-like): no branches, no CREATE FOLDER. */
  restCatalogs?: string[];
  /** Sources by explicit type (e.g. {s3lake: 'S3', arctic: 'ARCTIC'}); see source-types.ts. */
  sourceTypes?: Record<string, SourceType>;
  /** Folders that exist at start (e.g. the namespaces of a REST catalog, made outside Dremio). */
  folders?: string[][];
  /** Spaces that exist at start. */
  spaces?: string[];
  /** COPY INTO '@source/...' locations: source name -> local directory. */
  storageRoots?: Record<string, string>;
}

export interface RequestLogEntry {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly url: string;
  /** HTTP status; 0 when the connection was reset by a fault. */
  status: number;
  readonly at: number;
}

export interface EmulatorJobs {
  list(): Job[];
  get(id: string): Job | undefined;
  last(): Job | undefined;
  /** Jobs whose SQL matches. */
  find(match: RegExp | string): Job[];
}

export interface EmulatorDb {
  /** Runs DuckDB SQL on the emulator's database; rows use the REST value encoding (numbers, "YYYY-MM-DD HH:MM:SS.fff"). */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** Runs DuckDB SQL (e.g. to seed data) and re-syncs the catalog. */
  run(sql: string): Promise<void>;
  /** DuckDB name of a Dremio path: ['lake','a','t'] -> "lake/a"."t". */
  name(path: readonly string[]): string;
}

export interface Emulator {
  /** e.g. http://127.0.0.1:12345 */
  readonly url: string;
  readonly port: number;
  readonly mode: 'software' | 'cloud';
  readonly projectId: string;
  /** `${url}/api/v3` */
  readonly softwareBase: string;
  /** `${url}/v0/projects/${projectId}` */
  readonly cloudBase: string;
  readonly faults: Faults;
  readonly jobs: EmulatorJobs;
  /** Every request, in arrival order (status filled in when the response ends). */
  readonly requests: RequestLogEntry[];
  readonly db: EmulatorDb;
  readonly catalog: Catalog;
  readonly reflections: ReflectionStore;
  close(): Promise<void>;
}

const ROUTES: Route[] = [...jobRoutes, ...catalogRoutes, ...reflectionRoutes];
const SOMETHING_WENT_WRONG = 'Something went wrong. Please check the log file for details, see https://docs.dremio.com/advanced-administration/log-files.html';

/** Every configured source with its type; a name given twice keeps its explicit `sourceTypes` entry. */
function sourceList(opts: EmulatorOptions): Array<{ name: string; type: SourceType }> {
  const out = new Map<string, SourceType>();
  for (const s of opts.sources ?? []) out.set(s, 'NAS');
  for (const s of opts.catalogs ?? []) out.set(s, 'NESSIE');
  for (const s of opts.restCatalogs ?? []) out.set(s, 'RESTCATALOG');
  for (const [s, t] of Object.entries(opts.sourceTypes ?? {})) {
    if (!SOURCE_TYPES.includes(t) || t === 'INTERNAL') throw new Error(`emulator: source ${s}: type must be one of ${SOURCE_TYPES.filter((x) => x !== 'INTERNAL').join(', ')}`);
    out.set(s, t);
  }
  out.delete('$scratch');
  return [...out].map(([name, type]) => ({ name, type }));
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const mode = opts.mode ?? 'software';
  const projectId = opts.projectId ?? '00000000-0000-4000-8000-00000000c0de';
  const users = opts.users ?? { dremio: 'dremio123' };
  const faults = new Faults();
  const duck = await Duck.open();
  const catalog = new Catalog(sourceList(opts), opts.spaces ?? [], Object.keys(users));
  for (const f of opts.folders ?? []) {
    for (let i = 2; i <= f.length; i++) if (!catalog.container(f.slice(0, i))) catalog.add('folder', f.slice(0, i));
  }
  await duck.exclusive(async (s) => { await installSystemTables(s); await syncCatalog(s, catalog); });
  const timing = { jobPolls: opts.jobPolls ?? (opts.jobDurationMs ? 0 : 3), jobDurationMs: opts.jobDurationMs ?? 0 };
  const state: EmulatorState = {
    jobs: new JobStore(duck, catalog, faults, timing, opts.storageRoots ?? {}),
    catalog, duck, reflections: new ReflectionStore(),
  };
  const auth = new Auth(users, opts.pats ?? [], faults);
  const requests: RequestLogEntry[] = [];
  const cloudPrefix = `/v0/projects/${projectId}`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const entry: RequestLogEntry = { method, path: url.pathname, url: url.pathname + url.search, status: 0, at: Date.now() };
    requests.push(entry);
    res.on('finish', () => { entry.status = res.statusCode; });
    const rep = reply(res, url.searchParams.has('pretty'));

    const fault = faults.takeHttp(method, entry.url);
    if (fault?.kind === 'reset') { req.socket.destroy(); return; }
    if (fault) {
      const headers: Record<string, string> = fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : {};
      const message = fault.status === 500 ? SOMETHING_WENT_WRONG : fault.status === 429 ? 'Too Many Requests' : fault.status === 503 ? 'Service Unavailable' : `HTTP ${fault.status}`;
      rep.json(fault.status, fault.body ?? { errorMessage: message, moreInfo: '' }, headers);
      return;
    }

    try {
      if (url.pathname === '/apiv2/login' && mode === 'software') return await login(req, method, rep);
      let api: 'software' | 'cloud';
      let rest: string;
      if (mode === 'software' && url.pathname.startsWith('/api/v3/')) { api = 'software'; rest = url.pathname.slice('/api/v3'.length); }
      else if (url.pathname.startsWith(`${cloudPrefix}/`)) { api = 'cloud'; rest = url.pathname.slice(cloudPrefix.length); }
      else if (/^\/v0\/projects\/[^/]+\//.test(url.pathname)) throw new HttpError(404, 'Project not found');
      else throw new HttpError(404, `HTTP 404 Not Found`);
      const user = auth.authenticate(req.headers.authorization, api === 'cloud');
      // DACAuthFilter aborts with a bare 401: no JSON body.
      if (!user) return rep.empty(401);
      const candidates = ROUTES.filter((r) => r.pattern.test(rest));
      const route = candidates.find((r) => r.method === method);
      if (!route) throw new HttpError(candidates.length > 0 ? 405 : 404, candidates.length > 0 ? 'HTTP 405 Method Not Allowed' : 'HTTP 404 Not Found');
      const params = route.pattern.exec(rest)!.slice(1);
      let bodyRead: Promise<unknown> | undefined;
      await route.handle({ req, rep, user, api, params, query: url.searchParams, state, body: () => (bodyRead ??= readJson(req)) });
    } catch (err) {
      if (res.headersSent) return;
      if (err instanceof HttpError) rep.error(err.status, err.message, err.moreInfo);
      else rep.error(500, SOMETHING_WENT_WRONG, err instanceof Error ? err.message : String(err));
    }
  }

  async function login(req: IncomingMessage, method: string, rep: ReturnType<typeof reply>): Promise<void> {
    if (method === 'POST') {
      const r = auth.login(await readJson(req));
      if (r.ok) return rep.json(200, r.body);
      // LogInLogOutResource answers GenericErrorMessage(msg): moreInfo "" and an empty stackTrace.
      return rep.json(401, { errorMessage: r.message, moreInfo: '', stackTrace: [] });
    }
    if (method === 'GET') return rep.json(200, auth.authenticate(req.headers.authorization, false) !== undefined);
    if (method === 'DELETE') { auth.logout(req.headers.authorization); return rep.empty(204); }
    throw new HttpError(405, 'HTTP 405 Method Not Allowed');
  }

  const server = createServer((req, res) => { void handle(req, res); });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  let closed = false;

  return {
    url, port, mode, projectId,
    softwareBase: `${url}/api/v3`,
    cloudBase: `${url}${cloudPrefix}`,
    faults, requests, catalog, reflections: state.reflections,
    jobs: {
      list: () => state.jobs.list(),
      get: (id) => state.jobs.get(id),
      last: () => state.jobs.list().at(-1),
      find: (m) => state.jobs.list().filter((j) => (typeof m === 'string' ? j.sql.includes(m) : m.test(j.sql))),
    },
    db: {
      query: async (sql) => [...fromDuck(await duck.query(sql)).rows],
      run: (sql) => duck.exclusive(async (s) => { await s.run(sql); await syncCatalog(s, catalog); }),
      name: (path) => toDuckSql(path),
    },
    async close() {
      if (closed) return;
      closed = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await duck.exclusive(async () => duck.close());
    },
  };
}
