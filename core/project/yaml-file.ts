// YAML reading with located errors. Every YAML file a user writes goes through here so a typo
// reports file, line and column instead of a parser stack trace.
import { readFileSync } from 'node:fs';
import jsYaml from 'js-yaml';
import { parseDocument, type Document, LineCounter, isMap, isSeq, isScalar, type Node as YamlNode } from 'yaml';
import { CairnError } from '../errors.js';
import { checkUtf8 } from '../util/utf8.js';
import { checkAliasExpansion, hasAnchor, MAX_ALIAS_COUNT } from './yaml-aliases.js';

export interface YamlFile<T = unknown> {
  file: string;
  value: T;
  doc: Document;
  lineCounter: LineCounter;
}

/**
 * Parses with js-yaml (core schema, several times faster than building a `yaml` Document) and
 * builds the located Document only when a line number is asked for. Anything js-yaml rejects, and
 * merge keys (which the two treat differently), go through `yaml` for its located errors.
 * `cached` is the value this text parsed to before (core/cache/yaml-cache.ts).
 */
export function parseYaml<T = unknown>(text: string, file: string, cached?: { value: unknown }): YamlFile<T> {
  // Anchors go through `yaml`, whose expansion is bounded (yaml-aliases.ts): js-yaml shares aliased
  // values, and the first walk over a billion-laughs value (the YAML cache's JSON) never ends.
  if (cached || (!text.includes('<<') && !hasAnchor(text))) {
    let value: unknown = cached?.value;
    let ok = true;
    if (!cached) {
      try {
        value = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, filename: file });
      } catch {
        ok = false;
      }
    }
    if (ok) {
      let located: YamlFile<T> | undefined;
      const locate = () => (located ??= parseYamlDocument<T>(text, file));
      return {
        file,
        value: (value ?? {}) as T,
        get doc() { return locate().doc; },
        get lineCounter() { return locate().lineCounter; },
      };
    }
  }
  return parseYamlDocument<T>(text, file);
}

function parseYamlDocument<T>(text: string, file: string): YamlFile<T> {
  const lineCounter = new LineCounter();
  // `merge`: dbt (PyYAML) resolves `<<: *anchor` merge keys; YAML 1.2 core alone keeps a literal `<<` key.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const pos = lineCounter.linePos(err.pos[0]);
    const msg = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new CairnError('YAML_PARSE', `malformed YAML: ${msg}`, {
      file,
      line: pos.line,
      column: pos.col,
      hint: 'check the indentation and that every `key: value` pair is on its own line',
    });
  }
  checkAliasExpansion(doc, file, lineCounter);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e;
    throw new CairnError('YAML_ALIAS_LIMIT', `YAML aliases: ${e.message}`, { file, hint: 'use fewer aliases (`*name`)' });
  }
  return { file, value: (value ?? {}) as T, doc, lineCounter };
}

export function readYaml<T = unknown>(path: string, displayPath = path): YamlFile<T> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new CairnError('PROJECT_INVALID', `cannot read ${displayPath}: ${(e as Error).message}`, { file: displayPath });
  }
  const text = bytes.toString('utf8');
  checkUtf8(text, bytes, displayPath);
  return parseYaml<T>(text, displayPath);
}

/** Line of the node at a key path (e.g. ['models', 0, 'columns']), for warnings and errors. */
export function lineOf(f: YamlFile, path: ReadonlyArray<string | number>): number | undefined {
  let node: unknown = f.doc.contents;
  for (const key of path) {
    if (isMap(node)) node = node.get(key, true);
    else if (isSeq(node)) node = node.get(key as number, true);
    else return undefined;
  }
  const range = (node as YamlNode | undefined)?.range ?? (isScalar(node) ? node.range : undefined);
  if (!range) return undefined;
  return f.lineCounter.linePos(range[0]).line;
}

/** Line of a key itself within a map at `path` (the key's position, not its value's). */
export function lineOfKey(f: YamlFile, path: ReadonlyArray<string | number>, key: string): number | undefined {
  let node: unknown = f.doc.contents;
  for (const k of path) {
    if (isMap(node)) node = node.get(k, true);
    else if (isSeq(node)) node = node.get(k as number, true);
    else return undefined;
  }
  if (!isMap(node)) return undefined;
  for (const pair of node.items) {
    const k = pair.key as YamlNode | undefined;
    if (isScalar(k) && k.value === key && k.range) return f.lineCounter.linePos(k.range[0]).line;
  }
  return undefined;
}
