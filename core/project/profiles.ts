// profiles.yml lookup and target resolution, in dbt's order: --profiles-dir, $DBT_PROFILES_DIR,
// the project folder, then ~/.dbt/.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Target } from '../../adapters/adapter.js';
import { CairnError } from '../errors.js';
import { makeEnvVar, renderYamlValues, stashErrors } from '../templating/yaml-values.js';
import { didYouMean } from '../util/did-you-mean.js';
import { isSecretKey, registerSecret } from '../util/redact.js';
import { lineOf, readYaml } from './yaml-file.js';
import type { ResolvedProfile } from './types.js';

export function profileSearchPath(projectDir: string, profilesDir?: string): string[] {
  const dirs: string[] = [];
  if (profilesDir) dirs.push(resolve(profilesDir));
  if (process.env.DBT_PROFILES_DIR) dirs.push(resolve(process.env.DBT_PROFILES_DIR));
  dirs.push(resolve(projectDir), join(homedir(), '.dbt'));
  return dirs;
}

export function findProfilesFile(projectDir: string, profilesDir?: string): string | undefined {
  for (const d of profileSearchPath(projectDir, profilesDir)) {
    const f = join(d, 'profiles.yml');
    if (existsSync(f)) return f;
  }
  return undefined;
}

export function loadProfile(opts: {
  projectDir: string;
  profilesDir?: string;
  profileName: string;
  /** The name came from --profile, not from dbt_project.yml (said so in the error). */
  profileFromFlag?: boolean;
  targetName?: string;
  threads?: number;
  envRead: Map<string, string | undefined>;
}): ResolvedProfile {
  const file = findProfilesFile(opts.projectDir, opts.profilesDir);
  if (!file) {
    throw new CairnError('PROFILE_NOT_FOUND', `no profiles.yml found (looked in ${profileSearchPath(opts.projectDir, opts.profilesDir).join(', ')})`, {
      hint: `create profiles.yml with a \`${opts.profileName}:\` profile in the project folder or pass --profiles-dir`,
    });
  }
  const yf = readYaml<Record<string, any>>(file, file);
  const profiles = yf.value ?? {};
  const profile = profiles[opts.profileName];
  if (!profile || typeof profile !== 'object') {
    const names = Object.keys(profiles).filter((k) => k !== 'config');
    throw new CairnError('PROFILE_NOT_FOUND', `profile \`${opts.profileName}\` (${opts.profileFromFlag ? 'from --profile' : 'named in dbt_project.yml'}) is not in ${file}`, {
      file,
      hint: didYouMean(opts.profileName, names) ?? (names.length ? `profiles there: ${names.join(', ')}` : 'the file defines no profiles'),
    });
  }
  const outputs = (profile.outputs ?? {}) as Record<string, Record<string, unknown>>;
  const targetName = opts.targetName ?? (typeof profile.target === 'string' ? profile.target : 'dev');
  const raw = outputs[targetName];
  if (!raw) {
    const names = Object.keys(outputs);
    throw new CairnError('TARGET_NOT_FOUND', `target \`${targetName}\` is not an output of profile \`${opts.profileName}\``, {
      file,
      line: lineOf(yf, [opts.profileName, 'outputs']) ?? lineOf(yf, [opts.profileName]),
      hint: didYouMean(targetName, names) ?? `outputs defined: ${names.join(', ') || 'none'}`,
    });
  }
  const scope = stashErrors({ env_var: makeEnvVar(opts.envRead, registerSecret) });
  const rendered = renderYamlValues({ ...yf, value: { [opts.profileName]: { outputs: { [targetName]: raw } } } }, scope) as Record<string, any>;
  const out = rendered[opts.profileName].outputs[targetName] as Record<string, unknown>;
  for (const [k, v] of Object.entries(out)) if (isSecretKey(k)) registerSecret(v);
  if (typeof out.type !== 'string') {
    throw new CairnError('PROFILE_NOT_FOUND', `target \`${targetName}\` of profile \`${opts.profileName}\` has no \`type\``, {
      file,
      line: lineOf(yf, [opts.profileName, 'outputs', targetName]),
      hint: 'add `type: duckdb` (or `type: dremio`)',
    });
  }
  const threadsRaw = opts.threads ?? out.threads ?? 4;
  const threads = Number(threadsRaw);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new CairnError('CONFIG_INVALID', `threads must be a positive integer, got \`${String(threadsRaw)}\``, { file, hint: 'e.g. threads: 4' });
  }
  const target: Target = {
    ...out,
    name: targetName,
    type: out.type,
    schema: String(out.schema ?? out.dataset ?? 'main'),
    database: out.database !== undefined ? String(out.database) : undefined,
    threads,
  };
  // Whether `schema` was written: an adapter may have its own default (dbt-dremio: dremio_space_folder).
  return { profileName: opts.profileName, target, profilesFile: file, schemaGiven: out.schema !== undefined || out.dataset !== undefined };
}

/** Target keys templates may read (`target.path`, `target.dremio_space`, ...): never a secret. */
const TARGET_KEYS = ['path', 'host', 'software_host', 'cloud_host', 'port', 'user', 'object_storage_source', 'object_storage_path', 'dremio_space', 'dremio_space_folder', 'catalog', 'folder', 'branch'];

/** `target` as templates see it: the connection's public keys, never a password or token. */
export function publicTargetOf(t: Target, profileName: string): Record<string, unknown> {
  const out: Record<string, unknown> = { name: t.name, type: t.type, schema: t.schema, database: t.database, threads: t.threads, profile_name: profileName };
  for (const k of TARGET_KEYS) if (t[k] !== undefined) out[k] = t[k];
  return out;
}
