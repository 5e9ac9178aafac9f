// `sources:` entries of schema YAML → source tables that `source('name', 'table')` resolves to.
import type { Target } from '../../adapters/adapter.js';
import { CairnError } from '../errors.js';
import type { SourceTable } from '../compile/context.js';
import { mergeConfig } from './node-config.js';
import { parseColumns, type SchemaFiles } from './schema-yaml.js';
import { lineOf } from './yaml-file.js';

const asTags = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** `projectName`: the project's name, or per YAML file the project it belongs to (installed packages). */
/** `render`: Jinja in the entry's values (compile/schema-yaml-render.ts); without it they are taken as written. */
export function collectSources(
  schema: SchemaFiles,
  projectName: string | ((file: string) => string),
  target: Target,
  render?: (yf: SchemaFiles['files'][number], index: number, entry: Record<string, any>) => Record<string, any>,
): Map<string, SourceTable> {
  const out = new Map<string, SourceTable>();
  const ownerOf = typeof projectName === 'string' ? () => projectName : projectName;
  for (const yf of schema.files) {
    const list = yf.value.sources;
    if (!Array.isArray(list)) continue;
    list.forEach((entry: Record<string, any>, si: number) => {
      if (!entry || typeof entry.name !== 'string') return;
      const src = render ? render(yf, si, entry) : entry;
      const tables = Array.isArray(src.tables) ? src.tables : [];
      tables.forEach((t: Record<string, any>, ti: number) => {
        if (!t || typeof t.name !== 'string') return;
        const key = `${src.name}.${t.name}`;
        const line = lineOf(yf, ['sources', si, 'tables', ti]);
        const prev = out.get(key);
        if (prev) {
          throw new CairnError('DUPLICATE_NODE', `source \`${key}\` is defined twice: ${prev.file}:${prev.line} and ${yf.file}:${line}`, { file: yf.file, line });
        }
        out.set(key, {
          uniqueId: `source.${ownerOf(yf.file)}.${src.name}.${t.name}`,
          sourceName: src.name,
          name: t.name,
          relation: {
            database: t.database ?? src.database ?? target.database,
            schema: String(t.schema ?? src.schema ?? src.name),
            identifier: String(t.identifier ?? t.name),
          },
          description: String(t.description ?? ''),
          sourceDescription: String(src.description ?? ''),
          file: yf.file,
          line,
          columns: parseColumns(t.columns),
          config: mergeConfig(mergeConfig({}, src.config ?? {}), t.config ?? {}),
          loadedAtField: t.loaded_at_field ?? src.loaded_at_field,
          freshness: t.freshness !== undefined ? t.freshness : src.freshness,
          meta: { ...(src.meta ?? {}), ...(t.meta ?? {}) },
          tags: [...new Set([...asTags(src.tags), ...asTags(t.tags)])],
        });
      });
    });
  }
  return out;
}
