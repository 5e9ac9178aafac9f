// Warnings for config keys that look misspelt, wherever configs are written: dbt_project.yml (its
// top level and the `models:`/`seeds:`/... trees, `+key` or a plain key with a scalar value),
// schema YAML `config:` blocks, and `{{ config(...) }}` in model and snapshot files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedProject } from '../compile/parse-project.js';
import { CairnError } from '../errors.js';
import { KNOWN_CONFIG_KEYS, misspeltKey, PROJECT_KEYS } from './config-keys.js';
import { isFolderKey, normalizeKey } from './node-config.js';
import { lineOf, lineOfKey, type YamlFile } from './yaml-file.js';

export function checkConfigKeys(p: ParsedProject): void {
  const out = p.warnings;
  const seen = new Set<string>(); // normalized keys reported from dbt_project.yml (they reach every node below)
  const warn = (key: string, suggestion: string, where: { file: string; line?: number; node?: string }, what: string) => {
    out.push(new CairnError('CONFIG_INVALID', `unknown config key \`${key}\` in ${what}; cairn ignores it`, {
      ...where, hint: `did you mean \`${key.startsWith('+') ? '+' : ''}${suggestion}\`? (a custom key belongs under \`meta:\`)`,
    }));
  };
  const yamlKeys = (yf: YamlFile, obj: unknown, path: Array<string | number>, what: string) => {
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return;
    for (const k of Object.keys(obj)) {
      const s = misspeltKey(k, KNOWN_CONFIG_KEYS);
      if (!s) continue;
      warn(k, s, { file: yf.file, line: lineOfKey(yf, path, k) ?? lineOf(yf, path) }, what);
    }
  };

  // dbt_project.yml
  const pf = p.ctx.project.file;
  const top = pf.value as Record<string, unknown>;
  for (const k of Object.keys(top)) {
    const s = misspeltKey(k, PROJECT_KEYS);
    if (s) warn(k, s, { file: 'dbt_project.yml', line: lineOfKey(pf, [], k) }, 'dbt_project.yml');
  }
  for (const kind of ['models', 'seeds', 'snapshots', 'tests', 'data_tests', 'sources', 'unit_tests']) {
    const walk = (level: unknown, path: string[]) => {
      if (!level || typeof level !== 'object' || Array.isArray(level)) return;
      for (const [k, v] of Object.entries(level as Record<string, unknown>)) {
        if (isFolderKey(k, v)) walk(v, [...path, k]);
        else {
          const s = misspeltKey(k, KNOWN_CONFIG_KEYS);
          if (!s) continue;
          seen.add(normalizeKey(k));
          warn(k, s, { file: 'dbt_project.yml', line: lineOfKey(pf, path, k) ?? lineOf(pf, path) }, `\`${path.join('.')}\` of dbt_project.yml`);
        }
      }
    };
    walk(top[kind], [kind]);
  }

  // Schema YAML `config:` blocks.
  for (const yf of p.loaded.schema.files) {
    const v = yf.value;
    for (const kind of ['models', 'seeds', 'snapshots', 'analyses']) {
      const list = v[kind];
      if (Array.isArray(list)) list.forEach((e, i) => yamlKeys(yf, (e as { config?: unknown })?.config, [kind, i, 'config'], `the config of ${kind.slice(0, -1)} \`${(e as { name?: string })?.name ?? i}\``));
    }
    const sources = v.sources;
    if (!Array.isArray(sources)) continue;
    sources.forEach((s, si) => {
      yamlKeys(yf, (s as { config?: unknown })?.config, ['sources', si, 'config'], `the config of source \`${(s as { name?: string })?.name ?? si}\``);
      const tables = (s as { tables?: unknown })?.tables;
      if (Array.isArray(tables)) tables.forEach((t, ti) => yamlKeys(yf, (t as { config?: unknown })?.config, ['sources', si, 'tables', ti, 'config'], `the config of source table \`${(t as { name?: string })?.name ?? ti}\``));
    });
  }

  // `{{ config(...) }}`: what a node's config holds that neither dbt_project.yml nor its own
  // schema YAML entry set came from its file.
  const patchKeys = new Map<string, Set<string>>();
  for (const patch of p.loaded.schema.patches) patchKeys.set(`${patch.kind}:${patch.name}`, new Set(Object.keys(patch.config ?? {}).map(normalizeKey)));
  for (const node of p.nodes.values()) {
    if (node.resourceType !== 'model' && node.resourceType !== 'snapshot') continue;
    const own = patchKeys.get(`${node.resourceType}s:${node.name}`);
    for (const k of Object.keys(node.config)) {
      if (seen.has(k) || own?.has(k)) continue;
      const s = misspeltKey(k, KNOWN_CONFIG_KEYS);
      if (s) warn(k, s, { file: node.originalFilePath, line: lineOfArg(p.ctx.projectDir, node.originalFilePath, k), node: node.name }, '`config(...)`');
    }
  }
}

/** Line of `key=` in the file (only read when there is something to report). */
function lineOfArg(projectDir: string, file: string, key: string): number | undefined {
  try {
    const text = readFileSync(join(projectDir, file), 'utf8');
    const i = text.search(new RegExp(`\\b${key.replace(/[^\w-]/g, '')}\\s*=`));
    return i < 0 ? undefined : text.slice(0, i).split('\n').length;
  } catch {
    return undefined;
  }
}
