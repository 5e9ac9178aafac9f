// `cairn debug`: are the files, the profile and the connection all right? Never prints a secret.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AdapterProvider } from '../../adapters/adapter.js';
import { isCairnError } from '../errors.js';
import { loadProfile } from '../project/profiles.js';
import { loadProjectConfig } from '../project/project-config.js';
import type { RunContextOptions } from '../project/types.js';
import { redact } from '../util/redact.js';

export interface DebugCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

export async function debug(o: RunContextOptions & { adapters: AdapterProvider }): Promise<{ ok: boolean; checks: DebugCheck[] }> {
  const checks: DebugCheck[] = [];
  const projectDir = resolve(o.projectDir);
  const envRead = new Map<string, string | undefined>();
  const add = (name: string, fn: () => string | undefined) => {
    try {
      checks.push({ name, ok: true, detail: fn() });
      return true;
    } catch (e) {
      checks.push({ name, ok: false, detail: redact(isCairnError(e) ? e.format() : String((e as Error).message)) });
      return false;
    }
  };
  let profileName = '';
  const projectOk = add('dbt_project.yml', () => {
    const c = loadProjectConfig(projectDir, envRead, o.vars ?? {});
    profileName = c.profile;
    return `${join(projectDir, 'dbt_project.yml')} (project ${c.name}, profile ${c.profile})`;
  });
  if (!projectOk) return { ok: false, checks };
  let target: ReturnType<typeof loadProfile>['target'] | undefined;
  const profileOk = add('profiles.yml', () => {
    const r = loadProfile({ projectDir, profilesDir: o.profilesDir, profileName, targetName: o.target, threads: o.threads, envRead });
    target = r.target;
    return `${r.profilesFile} (target ${r.target.name}, type ${r.target.type}, schema ${r.target.schema}, threads ${r.target.threads})`;
  });
  if (!profileOk || !target) return { ok: false, checks };
  const t = target;
  try {
    const adapter = o.adapters.connect(t, { projectDir });
    try {
      await adapter.open();
      const d = await adapter.debug();
      checks.push({ name: 'connection', ok: true, detail: d.version });
      for (const c of d.checks) checks.push({ ...c, detail: c.detail ? redact(c.detail) : undefined });
    } finally {
      await adapter.close();
    }
  } catch (e) {
    checks.push({ name: 'connection', ok: false, detail: redact(isCairnError(e) ? e.format() : String((e as Error).message)) });
  }
  checks.push({ name: 'models folder', ok: existsSync(join(projectDir, 'models')), detail: join(projectDir, 'models') });
  return { ok: checks.every((c) => c.ok), checks };
}
