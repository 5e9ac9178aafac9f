// Python's str/list/dict methods on template values (`.upper()`, `.split()`, `.items()`, `.get()`,
// `.append()`, `.update()`, `.format()`, ...), as dbt code calls them; a macro's output (nunjucks'
// SafeString, Jinja2's Markup) has the string methods too. Installs the Jinja2 grammar and runtime
// (jinja2-*.ts) and nunjucks' own compat layer (`None`/`True`/`False`, slices) once per process.
import nunjucks from 'nunjucks';
import { addJinja2Filters } from './jinja2-filters.js';
import { installJinja2Compiler } from './jinja2-compiler.js';
import { installJinja2Parser } from './jinja2-parser.js';
import { installJinja2Runtime, isMapping, iterate, pyRepr, pyStr, splitArgs, withoutMarker } from './jinja2-runtime.js';

const prefixes = (p: unknown): string[] => (Array.isArray(p) ? p.map(String) : [String(p)]);

const STRING_MEMBERS: Record<string, (this: string, ...a: any[]) => unknown> = {
  upper() { return this.toUpperCase(); },
  lower() { return this.toLowerCase(); },
  strip(chars?: string | null) { return chars ? trimChars(this, chars, true, true) : this.trim(); },
  lstrip(chars?: string | null) { return chars ? trimChars(this, chars, true, false) : this.trimStart(); },
  rstrip(chars?: string | null) { return chars ? trimChars(this, chars, false, true) : this.trimEnd(); },
  startswith(p: unknown) { return prefixes(p).some((x) => this.startsWith(x)); },
  endswith(p: unknown) { return prefixes(p).some((x) => this.endsWith(x)); },
  replace(a: unknown, b: unknown, count?: number) {
    const parts = this.split(String(a));
    if (count === undefined || count < 0 || parts.length <= count + 1) return parts.join(String(b));
    return parts.slice(0, count + 1).join(String(b)) + String(a) + parts.slice(count + 1).join(String(a));
  },
  split(sep?: string | null, max?: number) {
    const parts = sep === undefined || sep === null ? this.trim().split(/\s+/).filter(Boolean) : this.split(sep);
    if (max === undefined || max < 0 || parts.length <= max + 1) return parts;
    return [...parts.slice(0, max), parts.slice(max).join(sep ?? ' ')];
  },
  rsplit(sep?: string | null, max?: number) {
    const parts = sep === undefined || sep === null ? this.trim().split(/\s+/).filter(Boolean) : this.split(sep);
    if (max === undefined || max < 0 || parts.length <= max + 1) return parts;
    return [parts.slice(0, parts.length - max).join(sep ?? ' '), ...parts.slice(parts.length - max)];
  },
  title() { return this.replace(/\w\S*/g, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()); },
  capitalize() { return this.length ? this[0]!.toUpperCase() + this.slice(1).toLowerCase() : this; },
  // str.format with positional (`{}`, `{0}`) and keyword (`{name}`) fields; values print as str().
  format(...args: unknown[]) {
    const { pos, kw } = splitArgs(args);
    let i = 0;
    return this.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (m, field?: string) => {
      if (m === '{{') return '{';
      if (m === '}}') return '}';
      const name = field!.split(/[.[!:]/)[0]!;
      const v = name === '' ? pos[i++] : /^\d+$/.test(name) ? pos[Number(name)] : kw[name];
      return pyStr(v);
    });
  },
  join(items: unknown) { return iterate(items).map(pyStr).join(this); },
  isdigit() { return /^\d+$/.test(this); },
  isalpha() { return /^[A-Za-z]+$/.test(this); },
  isalnum() { return /^[A-Za-z0-9]+$/.test(this); },
  isupper() { return /[A-Z]/.test(this) && this === this.toUpperCase(); },
  islower() { return /[a-z]/.test(this) && this === this.toLowerCase(); },
  count(s: string) { return this.split(s).length - 1; },
  find(s: string) { return this.indexOf(s); },
  rfind(s: string) { return this.lastIndexOf(s); },
  index(s: string) { const at = this.indexOf(s); if (at < 0) throw new Error('substring not found'); return at; },
  zfill(n: number) { return this.padStart(n, '0'); },
  ljust(n: number, c = ' ') { return this.padEnd(n, c); },
  rjust(n: number, c = ' ') { return this.padStart(n, c); },
  center(n: number, c = ' ') { const pad = Math.max(0, n - this.length); const l = Math.floor(pad / 2) + (pad % 2 && this.length % 2 ? 1 : 0); return c.repeat(l) + this + c.repeat(pad - l); },
  swapcase() { return [...this].map((ch) => (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase())).join(''); },
  casefold() { return this.toLowerCase(); },
  splitlines() { return this.split(/\r\n|\r|\n/).filter((x, i, all) => i < all.length - 1 || x !== ''); },
  partition(sep: string) { const at = this.indexOf(sep); return at < 0 ? [String(this), '', ''] : [this.slice(0, at), sep, this.slice(at + sep.length)]; },
  removeprefix(p: string) { return this.startsWith(p) ? this.slice(p.length) : String(this); },
  removesuffix(p: string) { return p && this.endsWith(p) ? this.slice(0, -p.length) : String(this); },
};

function trimChars(s: string, chars: string, left: boolean, right: boolean): string {
  let a = 0;
  let b = s.length;
  while (left && a < b && chars.includes(s[a]!)) a++;
  while (right && b > a && chars.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

const LIST_MEMBERS: Record<string, (this: unknown[], ...a: any[]) => unknown> = {
  append(x: unknown) { this.push(x); return null; },
  extend(xs: unknown) { this.push(...iterate(xs)); return null; },
  insert(i: number, x: unknown) { this.splice(i, 0, x); return null; },
  pop(i?: number) {
    if (!this.length) throw new Error('pop from empty list');
    const at = i === undefined ? this.length - 1 : i < 0 ? this.length + i : i;
    if (at < 0 || at >= this.length) throw new Error('pop index out of range');
    return this.splice(at, 1)[0];
  },
  remove(x: unknown) {
    const at = this.indexOf(x);
    if (at < 0) throw new Error('list.remove(x): x not in list');
    this.splice(at, 1);
    return null;
  },
  index(x: unknown) {
    const at = this.indexOf(x);
    if (at < 0) throw new Error(`${pyRepr(x)} is not in list`);
    return at;
  },
  count(x: unknown) { return this.filter((y) => y === x).length; },
  reverse() { this.reverse(); return null; },
  sort() { this.sort(); return null; },
  copy() { return [...this]; },
};

const ownKeys = (o: object) => Object.keys(o).filter((k) => k !== '__keywords');

const DICT_MEMBERS: Record<string, (this: Record<string, unknown>, ...a: any[]) => unknown> = {
  items() { return ownKeys(this).map((k) => [k, this[k]]); },
  keys() { return ownKeys(this); },
  values() { return ownKeys(this).map((k) => this[k]); },
  get(k: unknown, d: unknown = null) { const key = String(k); return Object.prototype.hasOwnProperty.call(this, key) ? this[key] : d; },
  update(...args: unknown[]) {
    const { pos, kw } = splitArgs(args);
    for (const p of pos) if (p && typeof p === 'object') Object.assign(this, withoutMarker(p as Record<string, unknown>));
    Object.assign(this, kw);
    return null;
  },
  pop(k: unknown, ...d: unknown[]) {
    const key = String(k);
    if (Object.prototype.hasOwnProperty.call(this, key)) {
      const v = this[key];
      delete this[key];
      return v;
    }
    if (d.length) return d[0];
    throw new Error(`KeyError: ${pyRepr(k)}`);
  },
  setdefault(k: unknown, d: unknown = null) { const key = String(k); if (!Object.prototype.hasOwnProperty.call(this, key)) this[key] = d; return this[key]; },
  copy() { return { ...this }; },
  has_key(k: unknown) { return Object.prototype.hasOwnProperty.call(this, String(k)); },
};

/** Marks a function whose own members templates read (see memberLookup below). */
export const CALLABLE_NAMESPACE = Symbol.for('cairn.callableNamespace');

let installed = false;

export function installPythonCompat(): void {
  if (installed) return;
  installed = true;
  // Jinja2's grammar and semantics first: installJinjaCompat wraps the parser installed here.
  installJinja2Parser();
  installJinja2Compiler();
  installJinja2Runtime();
  nunjucks.installJinjaCompat();
  const runtime = (nunjucks as unknown as { runtime: { memberLookup: (...a: any[]) => unknown } }).runtime;
  const jinjaLookup = runtime.memberLookup;
  const own = Object.prototype.hasOwnProperty;
  runtime.memberLookup = function memberLookup(this: unknown, obj: unknown, val: unknown, ...rest: unknown[]) {
    if (typeof val === 'string' && rest.length < 2) {
      if (typeof obj === 'string' || obj instanceof String) {
        if (own.call(STRING_MEMBERS, val)) return STRING_MEMBERS[val]!.bind(String(obj));
      } else if (Array.isArray(obj)) {
        if (own.call(LIST_MEMBERS, val)) return LIST_MEMBERS[val]!.bind(obj);
      } else if (isMapping(obj) && !(obj instanceof Map) && own.call(DICT_MEMBERS, val) && !own.call(obj, val)) {
        return DICT_MEMBERS[val]!.bind(obj as Record<string, unknown>);
      }
    }
    // A callable that also has members (modules.datetime.datetime(...) and .now()): nunjucks would
    // hand back a wrapper without them.
    const member = typeof obj === 'object' && obj !== null && typeof val === 'string' ? (obj as Record<string, unknown>)[val] : undefined;
    if (typeof member === 'function' && (member as { [CALLABLE_NAMESPACE]?: true })[CALLABLE_NAMESPACE]) return member;
    const seq = typeof obj === 'string' || obj instanceof String || Array.isArray(obj);
    if (seq && typeof val === 'number' && val < 0 && rest.length < 2) {
      // `xs[-1]`: from the end, as in Python.
      const s = obj as ArrayLike<unknown>;
      return s[s.length + val];
    }
    const got = jinjaLookup.call(this, obj, val, ...rest);
    // A slice of a string is a string (`name[:3]`); nunjucks' slice gives a list of characters.
    return rest.length === 2 && seq && !Array.isArray(obj) && Array.isArray(got) ? got.join('') : got;
  };
}

export function addPythonTests(nenv: nunjucks.Environment): void {
  addJinja2Filters(nenv);
}
