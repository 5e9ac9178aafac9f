// `cairn clean`: delete clean-targets, refusing anything outside the project folder.
import { existsSync, rmSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { CairnError } from '../errors.js';
import { loadProjectConfig } from '../project/project-config.js';

export function clean(o: { projectDir: string; vars?: Record<string, unknown> }): string[] {
  const dir = resolve(o.projectDir);
  const cfg = loadProjectConfig(dir, new Map(), o.vars ?? {});
  const removed: string[] = [];
  for (const t of cfg.cleanTargets) {
    const abs = resolve(dir, t);
    const rel = relative(dir, abs);
    if (rel === '' || rel.startsWith('..')) {
      throw new CairnError('CONFIG_INVALID', `clean-targets entry \`${t}\` is not inside the project folder; refusing to delete it`, { file: 'dbt_project.yml' });
    }
    if (existsSync(abs)) {
      rmSync(abs, { recursive: true, force: true });
      removed.push(rel);
    }
  }
  return removed;
}
