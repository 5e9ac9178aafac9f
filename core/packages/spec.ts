// packages.yml / dependencies.yml → the package entries, as dbt reads them: `local:`, `git:` (with
// `revision:`, `subdirectory:`), `tarball:` (with `name:`), and hub entries (`package:` + `version:`).
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { CairnError } from '../errors.js';
import { lineOf, readYaml, type YamlFile } from '../project/yaml-file.js';
import { makeEnvVar, renderYamlValues, stashErrors } from '../templating/yaml-values.js';

interface SpecBase {
  /** The entry as written (env_var() calls unrendered): what the lock records and the hash covers, so no secret lands in them. */
  raw: Record<string, unknown>;
  file: string;
  line?: number;
}

export type PackageSpec =
  | (SpecBase & { kind: 'local'; local: string })
  | (SpecBase & { kind: 'git'; git: string; revision?: string; subdirectory?: string })
  | (SpecBase & { kind: 'tarball'; tarball: string; name: string })
  | (SpecBase & { kind: 'hub'; package: string; version: unknown; prerelease: boolean });

export const PACKAGE_FILES = ['packages.yml', 'dependencies.yml'] as const;
export const LOCK_FILE = 'package-lock.yml';

/** The package file of the project in `dir` that lists packages, if any (dbt allows one of the two). */
export function packagesFileOf(dir: string): string | undefined {
  const found = PACKAGE_FILES.filter((f) => existsSync(join(dir, f)));
  if (found.length < 2) return found[0];
  const withPackages = found.filter((f) => {
    const v = readYaml<Record<string, unknown>>(join(dir, f), f).value;
    return !!v && typeof v === 'object' && Array.isArray((v as Record<string, unknown>).packages);
  });
  if (withPackages.length > 1) {
    throw new CairnError('CONFIG_INVALID', 'both packages.yml and dependencies.yml list `packages:`', { file: 'dependencies.yml', hint: 'keep the packages in one of the two files, as dbt requires' });
  }
  return withPackages[0] ?? found[0];
}

/**
 * The entries of `file` (relative to `dir`); `display` is how errors name it (a dependency's file is
 * named by its path under the install folder). Values may use env_var(), as in dbt.
 */
export function readPackageSpecs(dir: string, file: string, display = file): PackageSpec[] {
  const yf = readYaml<Record<string, unknown>>(join(dir, file), display);
  if (yf.value === null || yf.value === undefined) return [];
  if (typeof yf.value !== 'object' || Array.isArray(yf.value)) {
    throw new CairnError('CONFIG_INVALID', `${display} must be a mapping with a \`packages:\` list`, { file: display, line: 1 });
  }
  const list = (yf.value as Record<string, unknown>).packages;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new CairnError('CONFIG_INVALID', '`packages:` must be a list', { file: display, line: lineOf(yf, ['packages']) });
  const rendered = renderEntries({ ...yf, value: { packages: list } });
  return rendered.map((entry, i) => specOf(entry, list[i], display, lineOf(yf, ['packages', i])));
}

/** The entries with env_var() rendered, as dbt renders packages.yml and the lock. */
export function renderEntries(yf: YamlFile<{ packages: unknown[] }>): unknown[] {
  return renderYamlValues(yf, stashErrors({ env_var: makeEnvVar(new Map()) })).packages;
}

function specOf(entry: unknown, unrendered: unknown, file: string, line: number | undefined): PackageSpec {
  const at = { file, line };
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
    throw new CairnError('CONFIG_INVALID', 'a package entry must be a mapping such as `- package: dbt-labs/dbt_utils` or `- local: ../my_pkg`', at);
  }
  const values = entry as Record<string, unknown>;
  const raw = unrendered as Record<string, unknown>;
  const str = (k: string) => (values[k] === undefined || values[k] === null ? undefined : String(values[k]));
  if (values.local !== undefined) return { kind: 'local', local: str('local')!, raw, ...at };
  if (values.git !== undefined) return { kind: 'git', git: str('git')!, revision: str('revision'), subdirectory: str('subdirectory'), raw, ...at };
  if (values.tarball !== undefined) {
    if (!str('name')) throw new CairnError('CONFIG_INVALID', `tarball package \`${str('tarball')}\` needs a \`name:\``, { ...at, hint: 'dbt requires the package name beside a tarball URL: `name: my_package`' });
    return { kind: 'tarball', tarball: str('tarball')!, name: str('name')!, raw, ...at };
  }
  if (values.package !== undefined) {
    const pkg = str('package')!;
    if (!/^[\w.-]+\/[\w.-]+$/.test(pkg)) throw new CairnError('CONFIG_INVALID', `hub package \`${pkg}\` must be \`owner/name\`, e.g. dbt-labs/dbt_utils`, at);
    if (values.version === undefined || values.version === null) {
      throw new CairnError('CONFIG_INVALID', `hub package \`${pkg}\` has no \`version:\``, { ...at, hint: 'add a version range, e.g. `version: [">=1.0.0", "<2.0.0"]`' });
    }
    return { kind: 'hub', package: pkg, version: values.version, prerelease: values['install-prerelease'] === true, raw, ...at };
  }
  if (values.private !== undefined) {
    throw new CairnError('CONFIG_INVALID', '`private:` package entries (dbt Cloud git integrations) are not supported', { ...at, hint: 'use a `git:` entry with the repository URL' });
  }
  throw new CairnError('CONFIG_INVALID', `a package entry needs one of local:, git:, tarball:, package: (found ${Object.keys(values).join(', ') || 'nothing'})`, at);
}

/**
 * dbt's `sha1_hash` of package-lock.yml: the entries as written, each as JSON with sorted keys
 * (Python's separators), sorted, joined by newlines. A lock whose hash differs is resolved again.
 */
export function specsHash(specs: readonly PackageSpec[]): string {
  const lines = specs.map((s) => pyJson(s.raw)).sort();
  return createHash('sha1').update(lines.join('\n')).digest('hex');
}

/** json.dumps(v, sort_keys=True) */
export function pyJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(pyJson).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}: ${pyJson((v as Record<string, unknown>)[k])}`).join(', ')}}`;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return JSON.stringify(v);
}

/** A guess at the project name an entry installs, before it is installed (for hints only). */
export function guessedName(s: PackageSpec): string {
  switch (s.kind) {
    case 'hub': return s.package.split('/')[1]!;
    case 'tarball': return s.name;
    case 'local': return s.local.replace(/\/+$/, '').split('/').pop()!;
    case 'git': return (s.subdirectory ?? s.git).replace(/\/+$/, '').replace(/\.git$/, '').split(/[/:]/).pop()!.replace(/-/g, '_');
  }
}
