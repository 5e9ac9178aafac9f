// The dbt package hub's JSON API (what `dbt deps` reads): /api/v1/<owner>/<name>.json lists every
// published version with its tarball and its own package requirements. DBT_PACKAGE_HUB_URL points
// elsewhere (a mirror), as in dbt.
import { CairnError } from '../errors.js';
import { httpGet } from './fetch.js';

export interface HubVersion {
  version: string;
  tarball: string;
  /** The version's own packages.yml entries. */
  packages: Array<Record<string, unknown>>;
  requireDbtVersion?: unknown;
}

export interface HubPackage {
  name: string;
  versions: Map<string, HubVersion>;
}

export function hubUrl(): string {
  const base = process.env.DBT_PACKAGE_HUB_URL || 'https://hub.getdbt.com/';
  return base.endsWith('/') ? base : base + '/';
}

/** The hub's record of `owner/name`; any failure is an error naming the package and the way out. */
export async function hubPackage(pkg: string, at: { file?: string; line?: number }): Promise<HubPackage> {
  const url = `${hubUrl()}api/v1/${pkg}.json`;
  const unreachable = (reason: string) => new CairnError('DEPS', `cannot reach the dbt package hub for \`${pkg}\` (${url}: ${reason})`, {
    ...at,
    hint: `cairn deps needs the network for hub packages; offline, replace the entry with \`- git: <repository URL>\` + \`revision:\`, or \`- local: <path to a copy of ${pkg.split('/')[1]}>\``,
  });
  const body = await httpGet(url, (reason) => (reason === 'HTTP 404'
    ? new CairnError('DEPS', `package \`${pkg}\` is not on the dbt package hub`, { ...at, hint: 'check the owner and name at hub.getdbt.com, or use a `git:` entry' })
    : unreachable(reason)));
  let json: { name?: string; versions?: Record<string, Record<string, unknown>> };
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw unreachable('the answer is not JSON');
  }
  const versions = new Map<string, HubVersion>();
  for (const [v, info] of Object.entries(json.versions ?? {})) {
    const downloads = info.downloads as { tarball?: string } | undefined;
    if (!downloads?.tarball) continue;
    versions.set(v, {
      version: v,
      tarball: downloads.tarball,
      packages: Array.isArray(info.packages) ? (info.packages as Array<Record<string, unknown>>) : [],
      requireDbtVersion: info.require_dbt_version,
    });
  }
  return { name: String(json.name ?? pkg.split('/')[1]), versions };
}
