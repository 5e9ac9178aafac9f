// Every URL the adapter calls is built here, so Software (`/api/v3`) and Cloud
// (`/v0/projects/{id}`) can never disagree (dbt-dremio's Cloud cancel URL forgot the project id).
import { CairnError } from '../../core/errors.js';
import type { Target } from '../adapter.js';

export interface DremioEndpoint {
  /** `http(s)://host:port` with no trailing slash. */
  origin: string;
  /** `/api/v3` or `/v0/projects/{id}`. */
  prefix: string;
  cloud: boolean;
  host: string;
  port: number;
}

export function endpointFor(target: Target): DremioEndpoint {
  const cloudHost = target.cloud_host as string | undefined;
  if (cloudHost) {
    const project = target.cloud_project_id as string | undefined;
    if (!project) {
      throw new CairnError('CONFIG_INVALID', `target ${target.name}: cloud_host is set but cloud_project_id is missing`, {
        hint: 'add cloud_project_id (the project id from the Dremio Cloud project settings)',
      });
    }
    const { host, port, scheme } = splitHost(String(cloudHost), target, 443, true);
    return { origin: `${scheme}://${host}:${port}`, prefix: `/v0/projects/${encodeURIComponent(project)}`, cloud: true, host, port };
  }
  const sw = target.software_host ?? target.host;
  if (!sw) {
    throw new CairnError('CONFIG_INVALID', `target ${target.name} (type dremio) has neither software_host nor cloud_host`, {
      hint: 'set software_host (and port, default 9047) for Dremio Software, or cloud_host + cloud_project_id for Dremio Cloud',
    });
  }
  const { host, port, scheme } = splitHost(String(sw), target, 9047, false);
  return { origin: `${scheme}://${host}:${port}`, prefix: '/api/v3', cloud: false, host, port };
}

function splitHost(raw: string, target: Target, defPort: number, defSsl: boolean) {
  const m = /^(https?):\/\/(.*)$/.exec(raw);
  const ssl = m ? m[1] === 'https' : target.use_ssl !== undefined ? truthy(target.use_ssl) : defSsl;
  let host = (m ? m[2]! : raw).replace(/\/+$/, '');
  const hp = /^(.*):(\d+)$/.exec(host);
  let port = target.port !== undefined && target.port !== '' ? Number(target.port) : defPort;
  if (hp) { host = hp[1]!; port = Number(hp[2]); }
  if (!Number.isInteger(port) || port <= 0) throw new CairnError('CONFIG_INVALID', `target ${target.name}: port must be a number, got \`${String(target.port)}\``);
  return { host, port, scheme: ssl ? 'https' : 'http' };
}

export const truthy = (v: unknown): boolean => v === true || (typeof v === 'string' && /^(true|yes|1)$/i.test(v));

/** API paths, relative to the endpoint; the one place that knows the shape of each resource. */
export const api = {
  login: () => '/apiv2/login',
  sql: () => '/sql',
  job: (id: string) => `/job/${encodeURIComponent(id)}`,
  results: (id: string, offset: number, limit: number) => `/job/${encodeURIComponent(id)}/results?offset=${offset}&limit=${limit}`,
  cancel: (id: string) => `/job/${encodeURIComponent(id)}/cancel`,
  catalog: () => '/catalog',
  /** With `branch`, the entity as it is on that branch of a versioned catalog (else its default branch). */
  catalogByPath: (path: readonly string[], branch?: string) =>
    `/catalog/by-path/${path.map((s) => encodeURIComponent(s)).join('/')}${branch ? `?versionType=BRANCH&versionValue=${encodeURIComponent(branch)}` : ''}`,
  datasetReflections: (datasetId: string) => `/dataset/${encodeURIComponent(datasetId)}/reflection`,
  reflection: (id?: string) => (id ? `/reflection/${encodeURIComponent(id)}` : '/reflection'),
};

/** Full URL for an API path: login lives outside the versioned prefix. */
export function urlFor(ep: DremioEndpoint, path: string): string {
  return path.startsWith('/apiv2/') ? `${ep.origin}${path}` : `${ep.origin}${ep.prefix}${path}`;
}
