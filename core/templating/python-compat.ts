// Jinja-isms dbt projects rely on that nunjucks lacks out of the box: Python dict/list/str methods,
// `None`/`True`/`False`, `is none`. Installed once per process; nunjucks' own compat layer covers
// dicts and lists, and we add the string methods on top of its member lookup.
import nunjucks from 'nunjucks';

const STRING_MEMBERS: Record<string, (this: string, ...a: any[]) => unknown> = {
  upper() { return this.toUpperCase(); },
  lower() { return this.toLowerCase(); },
  strip(chars?: string) { return chars ? trimChars(this, chars, true, true) : this.trim(); },
  lstrip(chars?: string) { return chars ? trimChars(this, chars, true, false) : this.trimStart(); },
  rstrip(chars?: string) { return chars ? trimChars(this, chars, false, true) : this.trimEnd(); },
  startswith(p: string) { return this.startsWith(p); },
  endswith(p: string) { return this.endsWith(p); },
  replace(a: string, b: string) { return this.split(a).join(b); },
  split(sep?: string, max?: number) {
    const parts = sep === undefined || sep === null ? this.trim().split(/\s+/) : this.split(sep);
    if (max === undefined || max < 0 || parts.length <= max + 1) return parts;
    return [...parts.slice(0, max), parts.slice(max).join(sep ?? ' ')];
  },
  title() { return this.replace(/\w\S*/g, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()); },
  capitalize() { return this.length ? this[0]!.toUpperCase() + this.slice(1).toLowerCase() : this; },
  format(...args: unknown[]) { let i = 0; return this.replace(/\{(\d*)\}/g, (_m, n: string) => String(args[n === '' ? i++ : Number(n)] ?? '')); },
  join(items: unknown[]) { return items.map(String).join(this); },
  isdigit() { return /^\d+$/.test(this); },
  count(s: string) { return this.split(s).length - 1; },
  find(s: string) { return this.indexOf(s); },
};

function trimChars(s: string, chars: string, left: boolean, right: boolean): string {
  let a = 0;
  let b = s.length;
  while (left && a < b && chars.includes(s[a]!)) a++;
  while (right && b > a && chars.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

/** Marks a function whose own members templates read (see memberLookup below). */
export const CALLABLE_NAMESPACE = Symbol.for('cairn.callableNamespace');

let installed = false;

export function installPythonCompat(): void {
  if (installed) return;
  installed = true;
  nunjucks.installJinjaCompat();
  const runtime = (nunjucks as unknown as { runtime: { memberLookup: (...a: any[]) => unknown } }).runtime;
  const jinjaLookup = runtime.memberLookup;
  runtime.memberLookup = function memberLookup(this: unknown, obj: unknown, val: unknown, ...rest: unknown[]) {
    if (typeof obj === 'string' && typeof val === 'string' && Object.prototype.hasOwnProperty.call(STRING_MEMBERS, val)) {
      return STRING_MEMBERS[val]!.bind(obj);
    }
    // A callable that also has members (modules.datetime.datetime(...) and .now()): nunjucks would
    // hand back a wrapper without them.
    const member = typeof obj === 'object' && obj !== null && typeof val === 'string' ? (obj as Record<string, unknown>)[val] : undefined;
    if (typeof member === 'function' && (member as { [CALLABLE_NAMESPACE]?: true })[CALLABLE_NAMESPACE]) return member;
    return jinjaLookup.call(this, obj, val, ...rest);
  };
}

export function addPythonTests(nenv: nunjucks.Environment): void {
  // @types/nunjucks lacks addTest, which nunjucks has had since 3.0.
  const env = nenv as nunjucks.Environment & { addTest(name: string, fn: (...a: any[]) => boolean): void };
  env.addTest('none', (v: unknown) => v === null || v === undefined);
  env.addTest('mapping', (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v));
  env.addTest('sequence', (v: unknown) => Array.isArray(v) || typeof v === 'string');
  env.addTest('boolean', (v: unknown) => typeof v === 'boolean');
  env.addTest('true', (v: unknown) => v === true);
  env.addTest('false', (v: unknown) => v === false);
  env.addTest('in', (v: unknown, seq: unknown) => (Array.isArray(seq) || typeof seq === 'string' ? (seq as string).includes(v as string) : false));
  // dbt users write `| as_number`, `| as_bool`, `| as_text`, `| tojson`.
  env.addFilter('as_number', (v: unknown) => Number(v));
  env.addFilter('as_bool', (v: unknown) => v === true || v === 'true' || v === 'True');
  env.addFilter('as_text', (v: unknown) => String(v));
  env.addFilter('as_native', (v: unknown) => v);
  env.addFilter('tojson', (v: unknown) => JSON.stringify(v));
  env.addFilter('unique', (v: unknown[]) => [...new Set(v)]);
}
