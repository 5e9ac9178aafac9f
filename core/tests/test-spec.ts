// One generic-test entry of schema YAML (`- unique`, `- accepted_values: {values: [...]}`,
// `- relationships: {arguments: {...}, config: {...}}`) → test name, arguments and config, and
// dbt's synthesized node name (`accepted_values_orders_status__placed__shipped`).
import { createHash } from 'node:crypto';

/** Keys that are test configs, whether under `config:` or (legacy) beside the arguments. */
export const TEST_CONFIG_KEYS = new Set([
  'severity', 'where', 'warn_if', 'error_if', 'limit', 'store_failures', 'store_failures_as', 'fail_calc',
  'tags', 'enabled', 'meta', 'alias', 'schema', 'database',
]);

export interface TestSpec {
  /** Test name without namespace, e.g. `unique`, `expression_is_true`. */
  testName: string;
  namespace?: string;
  args: Record<string, unknown>;
  config: Record<string, unknown>;
  /** `name:` given by the user. */
  customName?: string;
  columnName?: string;
}

export function parseTestEntry(raw: unknown): TestSpec | string {
  if (typeof raw === 'string') return splitName(raw, {}, {});
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return 'a test must be a name (`- unique`) or a mapping (`- accepted_values: {values: [...]}`)';
  const obj = raw as Record<string, unknown>;
  let testName: string;
  let body: Record<string, unknown>;
  if (typeof obj.test_name === 'string') {
    testName = obj.test_name;
    body = obj;
  } else {
    const keys = Object.keys(obj);
    if (keys.length !== 1) return `a test entry must have exactly one key (the test name), found: ${keys.join(', ')}`;
    testName = keys[0]!;
    const v = obj[testName];
    if (v !== null && v !== undefined && (typeof v !== 'object' || Array.isArray(v))) return `the arguments of test \`${testName}\` must be a mapping`;
    body = (v ?? {}) as Record<string, unknown>;
  }
  const args: Record<string, unknown> = {};
  let config: Record<string, unknown> = {};
  let customName: string | undefined;
  let columnName: string | undefined;
  for (const [k, v] of Object.entries(body)) {
    if (k === 'test_name') continue;
    if (k === 'name') customName = String(v);
    else if (k === 'config' && v && typeof v === 'object') config = { ...config, ...(v as Record<string, unknown>) };
    else if (k === 'arguments' && v && typeof v === 'object') Object.assign(args, v);
    else if (k === 'column_name') columnName = String(v);
    else if (TEST_CONFIG_KEYS.has(k)) config[k] = v;
    else args[k] = v;
  }
  return splitName(testName, args, config, customName, columnName);
}

function splitName(full: string, args: Record<string, unknown>, config: Record<string, unknown>, customName?: string, columnName?: string): TestSpec {
  const dot = full.lastIndexOf('.');
  return dot > 0
    ? { testName: full.slice(dot + 1), namespace: full.slice(0, dot), args, config, customName, columnName }
    : { testName: full, args, config, customName, columnName };
}

/** dbt's `synthesize_generic_test_names`: the node name from the test, its target and its arguments. */
export function synthesizeName(spec: TestSpec, targetName: string): string {
  const all: Record<string, unknown> = { ...spec.args };
  if (spec.columnName !== undefined) all.column_name = spec.columnName;
  const flat: string[] = [];
  for (const k of Object.keys(all).sort()) {
    const v = all[k];
    const parts = v && typeof v === 'object' ? (Array.isArray(v) ? v : Object.values(v)) : [v];
    for (const part of parts) flat.push(pyStr(part));
  }
  const unique = flat.map((a) => a.replace(/[^0-9a-zA-Z_]+/g, '_')).join('__');
  const prefix = spec.namespace ? `${spec.namespace}_${spec.testName}` : spec.testName;
  return unique ? `${prefix}_${targetName}_${unique}` : `${prefix}_${targetName}`;
}

const pyStr = (v: unknown): string => (v === true ? 'True' : v === false ? 'False' : v === null || v === undefined ? 'None' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function shortHash(s: string): string {
  return createHash('md5').update(s).digest('hex').slice(0, 10);
}

/** A YAML value as a Jinja expression: `ref(...)`/`source(...)` strings stay code, the rest are literals. */
export function toJinjaLiteral(v: unknown): string {
  if (typeof v === 'string') {
    if (/^\s*(ref|source)\s*\(.*\)\s*$/s.test(v)) return v.trim();
    // dbt renders test arguments when the test compiles: `values: "{{ var('statuses') }}"` is the
    // var's value itself (native rendering), `where: "day = '{{ var('day') }}'"` a string.
    const whole = /^\s*\{\{([\s\S]*?)\}\}\s*$/.exec(v);
    if (whole && !whole[1]!.includes('}}')) return `(${whole[1]!.trim()})`;
    if (v.includes('{{') && !v.includes('{%')) {
      const parts = v.split(/(\{\{[\s\S]*?\}\})/).filter((x) => x !== '');
      return `(${parts.map((x) => (x.startsWith('{{') ? `(${x.slice(2, -2).trim()})` : JSON.stringify(x))).join(' ~ ')})`;
    }
    return JSON.stringify(v);
  }
  if (v === null || v === undefined) return 'none';
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.map(toJinjaLiteral).join(', ')}]`;
  return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${JSON.stringify(k)}: ${toJinjaLiteral(x)}`).join(', ')}}`;
}
