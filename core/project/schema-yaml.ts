// Schema YAML files (`models:`, `sources:`, `seeds:`, ...) anywhere under the resource paths.
// This pass only reads and locates entries; attaching them to nodes happens in the parse pass.
import { lineOf, parseYaml, type YamlFile } from './yaml-file.js';
import type { SourceFile } from './discover.js';
import { YamlValueCache } from '../cache/yaml-cache.js';
import type { ColumnInfo } from './types.js';

export interface Patch {
  name: string;
  kind: 'models' | 'seeds' | 'snapshots' | 'analyses';
  file: string;
  line?: number;
  description: string;
  config: Record<string, unknown>;
  columns: Record<string, ColumnInfo>;
  tests: unknown[];
  meta: Record<string, unknown>;
  tags: string[];
  docs?: Record<string, unknown>;
  raw: Record<string, unknown>;
  index: number;
}

export interface SchemaFiles {
  files: YamlFile<Record<string, unknown>>[];
  patches: Patch[];
}

const asTags = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

export function parseColumns(raw: unknown): Record<string, ColumnInfo> {
  const out: Record<string, ColumnInfo> = {};
  if (!Array.isArray(raw)) return out;
  for (const c of raw) {
    if (!c || typeof c !== 'object' || typeof (c as { name?: unknown }).name !== 'string') continue;
    const col = c as Record<string, unknown>;
    out[col.name as string] = {
      name: col.name as string,
      description: typeof col.description === 'string' ? col.description : '',
      data_type: typeof col.data_type === 'string' ? col.data_type : undefined,
      meta: (col.meta as Record<string, unknown>) ?? {},
      tags: asTags(col.tags),
      tests: (col.data_tests ?? col.tests ?? []) as unknown[],
    };
  }
  return out;
}

export function readSchemaFiles(files: readonly SourceFile[], cache = YamlValueCache.disabled()): SchemaFiles {
  const out: SchemaFiles = { files: [], patches: [] };
  for (const f of files) {
    const hit = cache.get(f.path, f.content);
    const yf = parseYaml<Record<string, unknown>>(f.content, f.path, hit === undefined ? undefined : { value: hit });
    if (hit === undefined) cache.put(f.path, f.content, yf.value);
    yf.text = f.content;
    if (!yf.value || typeof yf.value !== 'object') continue;
    out.files.push(yf);
    for (const kind of ['models', 'seeds', 'snapshots', 'analyses'] as const) {
      const list = yf.value[kind];
      if (!Array.isArray(list)) continue;
      list.forEach((entry, index) => {
        if (!entry || typeof entry !== 'object' || typeof (entry as { name?: unknown }).name !== 'string') return;
        const e = entry as Record<string, unknown>;
        const patch: Patch = {
          name: e.name as string,
          kind,
          file: f.path,
          line: undefined,
          description: typeof e.description === 'string' ? e.description : '',
          config: (e.config as Record<string, unknown>) ?? {},
          columns: parseColumns(e.columns),
          tests: (e.data_tests ?? e.tests ?? []) as unknown[],
          meta: (e.meta as Record<string, unknown>) ?? {},
          tags: asTags(e.tags),
          docs: e.docs as Record<string, unknown> | undefined,
          raw: e,
          index,
        };
        // Located lazily: finding a line builds the YAML document, needed only for a message.
        Object.defineProperty(patch, 'line', { get: () => lineOf(yf, [kind, index]), enumerable: true, configurable: true });
        out.patches.push(patch);
      });
    }
  }
  return out;
}
