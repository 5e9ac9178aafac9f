// Unknown keys in schema YAML are warnings with file and line (a typo like `descripton:` silently
// dropping a description is worse than a noisy line), never a crash. `version: 2` is accepted.
import type { ParsedProject } from '../compile/parse-project.js';
import { CairnError } from '../errors.js';
import { didYouMean } from '../util/did-you-mean.js';
import { lineOf, lineOfKey, type YamlFile } from './yaml-file.js';

const TOP = ['version', 'models', 'seeds', 'sources', 'snapshots', 'analyses', 'macros', 'exposures', 'metrics', 'semantic_models', 'saved_queries', 'unit_tests', 'data_tests', 'tests', 'groups', 'functions'];
const COMMON = ['name', 'description', 'config', 'columns', 'tests', 'data_tests', 'docs', 'meta', 'tags'];
const RESOURCE = [...COMMON, 'access', 'group', 'latest_version', 'versions', 'constraints', 'deprecation_date', 'time_spine', 'relation', 'quote_columns', 'column_types'];
const COLUMN = ['name', 'description', 'data_type', 'meta', 'tags', 'tests', 'data_tests', 'quote', 'constraints', 'policy_tags', 'granularity', 'config', 'docs'];
const SOURCE = ['name', 'description', 'database', 'catalog', 'schema', 'loader', 'loaded_at_field', 'loaded_at_query', 'tables', 'tags', 'meta', 'config', 'freshness', 'quoting', 'overrides', 'docs', 'event_time'];
const TABLE = ['name', 'identifier', 'description', 'columns', 'tests', 'data_tests', 'loaded_at_field', 'loaded_at_query', 'freshness', 'tags', 'meta', 'config', 'quoting', 'external', 'docs', 'event_time'];

export function checkSchemaKeys(p: ParsedProject): void {
  for (const yf of p.loaded.schema.files) checkFile(yf, p.warnings);
}

function checkFile(yf: YamlFile<Record<string, unknown>>, out: CairnError[]): void {
  const v = yf.value;
  const warn = (path: Array<string | number>, key: string, known: string[], what: string) => {
    out.push(new CairnError('CONFIG_INVALID', `unknown key \`${key}\` in ${what}; it is ignored`, {
      file: yf.file, line: lineOfKey(yf, path, key) ?? lineOf(yf, path), hint: didYouMean(key, known),
    }));
  };
  const check = (obj: unknown, path: Array<string | number>, known: string[], what: string) => {
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return;
    for (const k of Object.keys(obj)) if (!known.includes(k)) warn(path, k, known, what);
  };
  check(v, [], TOP, 'a schema YAML file');
  if (v.version !== undefined && Number(v.version) !== 2) {
    out.push(new CairnError('CONFIG_INVALID', `schema YAML \`version: ${String(v.version)}\` is not supported; cairn reads version 2`, { file: yf.file, line: lineOfKey(yf, [], 'version') }));
  }
  for (const kind of ['models', 'seeds', 'snapshots', 'analyses']) {
    const list = v[kind];
    if (!Array.isArray(list)) continue;
    list.forEach((e, i) => {
      check(e, [kind, i], RESOURCE, `${kind.slice(0, -1)} \`${(e as { name?: string })?.name ?? i}\``);
      const cols = (e as { columns?: unknown })?.columns;
      if (Array.isArray(cols)) cols.forEach((c, ci) => check(c, [kind, i, 'columns', ci], COLUMN, `column \`${(c as { name?: string })?.name ?? ci}\``));
    });
  }
  const sources = v.sources;
  if (Array.isArray(sources)) {
    sources.forEach((s, si) => {
      check(s, ['sources', si], SOURCE, `source \`${(s as { name?: string })?.name ?? si}\``);
      const tables = (s as { tables?: unknown })?.tables;
      if (!Array.isArray(tables)) return;
      tables.forEach((t, ti) => {
        check(t, ['sources', si, 'tables', ti], TABLE, `source table \`${(t as { name?: string })?.name ?? ti}\``);
        const cols = (t as { columns?: unknown })?.columns;
        if (Array.isArray(cols)) cols.forEach((c, ci) => check(c, ['sources', si, 'tables', ti, 'columns', ci], COLUMN, `column \`${(c as { name?: string })?.name ?? ci}\``));
      });
    });
  }
}
