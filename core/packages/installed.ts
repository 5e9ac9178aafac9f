// The packages installed in a project (`packages-install-path`, default dbt_packages/): each folder
// with a dbt_project.yml is a project whose files join the root project's under their own name.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CairnError } from '../errors.js';
import { loadProjectConfig } from '../project/project-config.js';
import type { ProjectConfig } from '../project/types.js';
import { LOCK_FILE, guessedName, packagesFileOf, readPackageSpecs } from './spec.js';
import { readYaml } from '../project/yaml-file.js';

/** The dbt version whose project format cairn reads (for `require-dbt-version`). */
export const DBT_COMPAT_VERSION = '1.9.0';

export interface InstalledPackage {
  name: string;
  /** Its folder relative to the root project, e.g. `dbt_packages/dbt_utils`. */
  dir: string;
  config: ProjectConfig;
}

export function installPathOf(raw: Record<string, unknown>): string {
  const v = raw['packages-install-path'];
  return (typeof v === 'string' && v.trim() ? v.trim() : 'dbt_packages').replace(/^\.\//, '').replace(/\/+$/, '');
}

/**
 * Every installed package, by name order. With packages.yml listing more packages than are
 * installed, a warning says to run `cairn deps` (dbt makes it an error; a project that calls no
 * package macro still works here).
 */
export function loadInstalledPackages(projectDir: string, root: ProjectConfig, envRead: Map<string, string | undefined>, cliVars: Record<string, unknown>, warn: (w: CairnError) => void): InstalledPackage[] {
  const rel = installPathOf(root.raw);
  const abs = join(projectDir, rel);
  const out: InstalledPackage[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(abs).sort();
  } catch {
    // nothing installed
  }
  for (const folder of names) {
    if (folder.startsWith('.') || folder === root.name) continue;
    const dir = join(abs, folder);
    let isDir = false;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      continue; // dangling link: a local package that moved
    }
    if (!isDir || !existsSync(join(dir, 'dbt_project.yml'))) continue;
    let config: ProjectConfig;
    try {
      config = loadProjectConfig(dir, envRead, cliVars);
    } catch (e) {
      const err = e as CairnError;
      throw new CairnError(err.code ?? 'PROJECT_INVALID', `package \`${folder}\`: ${err.message}`, { file: `${rel}/${folder}/dbt_project.yml`, line: err.location?.line, hint: err.hint });
    }
    out.push({ name: config.name, dir: `${rel}/${folder}`, config });
  }
  const file = existsSync(join(projectDir, 'packages.yml')) || existsSync(join(projectDir, 'dependencies.yml')) ? packagesFileOf(projectDir) : undefined;
  if (file) {
    // Counted, not rendered: an env var only `cairn deps` needs (a git token) need not be set here.
    const list = (readYaml<Record<string, unknown> | null>(join(projectDir, file), file).value ?? {}).packages;
    const declared = Array.isArray(list) ? list.length : 0;
    if (declared > out.length) {
      warn(new CairnError('DEPS', `${file} lists ${declared} package(s), but only ${out.length} are installed in ${rel}/`, { file, hint: 'run `cairn deps` to install them' }));
    }
  }
  return out;
}

/**
 * Whether `name` is a package the project declares (packages.yml, or the lock dbt wrote) but has
 * not installed; for the hint of an unknown `name.macro()` call.
 */
export function declaredNotInstalled(projectDir: string, name: string, installed: ReadonlySet<string>): string | undefined {
  if (installed.has(name)) return undefined;
  try {
    const lock = existsSync(join(projectDir, LOCK_FILE)) ? readYaml<{ packages?: Array<{ name?: string }> }>(join(projectDir, LOCK_FILE)).value : undefined;
    if (lock?.packages?.some((p) => p?.name === name)) return LOCK_FILE;
    const file = packagesFileOf(projectDir);
    if (file && readPackageSpecs(projectDir, file).some((s) => guessedName(s) === name)) return file;
  } catch {
    // a broken packages.yml is reported by `cairn deps`
  }
  return undefined;
}
