// What compiled templates call at run time to behave as Jinja2 does (see jinja2-compiler.ts, which
// emits the calls as `runtime.__j2.<name>`): Python truthiness and str(), macro calls with Jinja2's
// argument binding (`varargs`, `kwargs`, its errors) and dbt's `return()`, `namespace()`, `*args`
// and `**kwargs` at call sites.
import nunjucks from 'nunjucks';
import { withDepthLimit } from './macro-recursion.js';

type KwArgs = Record<string, unknown> & { __keywords?: true };

const rt = (nunjucks as unknown as { runtime: Record<string, any> }).runtime;

/** Thrown by dbt's `return(value)`; the innermost macro call catches it and returns the value. */
export class MacroReturn extends Error {
  constructor(readonly value: unknown) {
    super('return() was called outside a macro: only a macro can return a value');
  }
}

/** dbt's `return()`: leaves the macro at once (dbt raises MacroReturn the same way). */
export function jinjaReturn(value?: unknown): never {
  throw new MacroReturn(value === undefined ? null : value);
}

/** Jinja2's `namespace(...)`: the one object `{% set ns.attr = v %}` may assign to. */
export class Namespace {
  constructor(init: Record<string, unknown>) {
    Object.assign(this, init);
  }
}

export function namespace(...args: unknown[]): Namespace {
  const { pos, kw } = splitArgs(args);
  const init: Record<string, unknown> = {};
  for (const p of pos) if (isMapping(p)) Object.assign(init, withoutMarker(p as KwArgs));
  return new Namespace({ ...init, ...kw });
}

/** Jinja2's `dict(...)` global: `dict(a=1)`, `dict(other)`, `dict([('k', v)])`. */
export function dict(...args: unknown[]): Record<string, unknown> {
  const { pos, kw } = splitArgs(args);
  const out: Record<string, unknown> = {};
  for (const p of pos) {
    if (Array.isArray(p)) for (const pair of p) out[String((pair as unknown[])[0])] = (pair as unknown[])[1];
    else if (p && typeof p === 'object') Object.assign(out, withoutMarker(p as KwArgs));
  }
  return Object.assign(out, kw);
}

export const isKw = (v: unknown): v is KwArgs => typeof v === 'object' && v !== null && Object.prototype.hasOwnProperty.call(v, '__keywords');

/** Positional arguments and keyword arguments (nunjucks passes the latter as a marked last object). */
export function splitArgs(args: readonly unknown[]): { pos: unknown[]; kw: Record<string, unknown> } {
  const last = args[args.length - 1];
  if (isKw(last)) return { pos: args.slice(0, -1), kw: withoutMarker(last) };
  return { pos: [...args], kw: {} };
}

export function withoutMarker(o: KwArgs): Record<string, unknown> {
  const { __keywords: _k, ...rest } = o;
  return rest;
}

/** A plain dict (not a relation, namespace or class instance). */
export function isMapping(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null || v instanceof Map;
}

/** Python's truth value: empty strings, lists, dicts and Markup (a macro's empty output) are false. */
export function truth(v: unknown): boolean {
  if (!v) return false;
  if (v === true) return true;
  switch (typeof v) {
    case 'string': case 'number': case 'function': case 'bigint': return true;
    case 'object':
      if (Array.isArray(v) || v instanceof String) return (v as { length: number }).length > 0;
      if (v instanceof Map || v instanceof Set) return v.size > 0;
      if (isMapping(v)) {
        for (const k in v) if (k !== '__keywords') return true;
        return false;
      }
      return true;
    default:
      return true;
  }
}

/** Python's str(): what `{{ x }}` and `~` print. Undefined prints nothing, None prints `None`. */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'object' && (Array.isArray(v) || isMapping(v))) return pyRepr(v);
  return String(v);
}

/** Python's repr(), for items inside printed lists and dicts. */
export function pyRepr(v: unknown): string {
  if (v instanceof String) v = String(v);
  if (typeof v === 'string') {
    const q = v.includes("'") && !v.includes('"') ? '"' : "'";
    const body = v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
    return q + (q === "'" ? body.replace(/'/g, "\\'") : body) + q;
  }
  if (v === undefined || v === null) return 'None';
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  if (isMapping(v)) {
    return `{${Object.keys(v).filter((k) => k !== '__keywords').map((k) => `${pyRepr(k)}: ${pyRepr(v[k])}`).join(', ')}}`;
  }
  return pyStr(v);
}

/** Python's json.dumps (`, ` and `: ` separators), which Jinja2's `tojson` and dbt's `tojson()` use. */
export function pyJson(v: unknown, sortKeys: boolean, indent?: number, depth = 0): string {
  if (v instanceof String) v = String(v);
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  const nl = indent === undefined ? '' : `\n${' '.repeat(indent * (depth + 1))}`;
  const end = indent === undefined ? '' : `\n${' '.repeat(indent * depth)}`;
  const sep = indent === undefined ? ', ' : ',';
  if (Array.isArray(v)) return v.length ? `[${nl}${v.map((x) => pyJson(x, sortKeys, indent, depth + 1)).join(sep + nl)}${end}]` : '[]';
  if (typeof v === 'object') {
    const toJson = (v as { toJSON?: () => unknown }).toJSON;
    if (typeof toJson === 'function') return pyJson(toJson.call(v), sortKeys, indent, depth);
    let keys = Object.keys(v).filter((k) => k !== '__keywords');
    if (sortKeys) keys = keys.sort();
    const o = v as Record<string, unknown>;
    return keys.length ? `{${nl}${keys.map((k) => `${JSON.stringify(k)}: ${pyJson(o[k], sortKeys, indent, depth + 1)}`).join(sep + nl)}${end}}` : '{}';
  }
  return JSON.stringify(String(v));
}

/** `a + b`: lists concatenate in Python. */
function add(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  return (a as number) + (b as number);
}

const prim = (v: unknown): unknown => (v instanceof String ? String(v) : v);

/**
 * Python's `==`: a macro's output (Markup) equals the same text, lists and dicts compare by
 * content, and a string never equals a number (`'1' == 1` is false). None and undefined are
 * equal: cairn leaves undefined some values dbt has as None.
 */
export function eq(a: unknown, b: unknown): boolean {
  a = prim(a);
  b = prim(b);
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  const [ta, tb] = [typeof a, typeof b];
  if (ta !== tb) return (ta === 'number' || ta === 'boolean') && (tb === 'number' || tb === 'boolean') && Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => eq(x, b[i]));
  if (isMapping(a) && isMapping(b) && !(a instanceof Map) && !(b instanceof Map)) {
    const ka = Object.keys(a).filter((k) => k !== '__keywords');
    const kb = Object.keys(b).filter((k) => k !== '__keywords');
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && eq(a[k], b[k]));
  }
  return false;
}

/** Python's comparison chain `a < b <= c` (each operand read once). */
function compare(first: unknown, ...rest: unknown[]): boolean {
  let left = prim(first);
  for (let i = 0; i < rest.length; i += 2) {
    const op = rest[i] as string;
    const right = prim(rest[i + 1]);
    let ok: boolean;
    switch (op) {
      case '==': case '===': ok = eq(left, right); break;
      case '!=': case '!==': ok = !eq(left, right); break;
      case '<': ok = (left as number) < (right as number); break;
      case '>': ok = (left as number) > (right as number); break;
      case '<=': ok = (left as number) <= (right as number); break;
      default: ok = (left as number) >= (right as number);
    }
    if (!ok) return false;
    left = right;
  }
  return true;
}

/** Python's `in`: a substring, a list item (by ==), a dict key. */
function inOperator(key: unknown, container: unknown): boolean {
  const c = prim(container);
  if (typeof c === 'string') return c.includes(pyStr(prim(key)));
  if (Array.isArray(c)) return c.some((x) => eq(x, key));
  if (c instanceof Map || c instanceof Set) return c.has(prim(key));
  if (c && typeof c === 'object') return Object.prototype.hasOwnProperty.call(c, String(prim(key))) && String(prim(key)) !== '__keywords';
  if (c === undefined || c === null) throw new Error(`argument of type 'NoneType' is not iterable (\`${pyStr(key)} in ...\`)`);
  return false;
}

/** `s * n` repeats a string or a list, as in Python. */
function mul(a: unknown, b: unknown): unknown {
  if ((typeof a === 'string' || Array.isArray(a)) && typeof b === 'number') return repeat(a, b);
  if ((typeof b === 'string' || Array.isArray(b)) && typeof a === 'number') return repeat(b, a);
  return (a as number) * (b as number);
}
const repeat = (x: string | unknown[], n: number) => (typeof x === 'string' ? x.repeat(Math.max(0, n)) : Array.from({ length: Math.max(0, n) }, () => x).flat());

/** `'%s_%s' % (a, b)`: printf-style formatting of a string; otherwise the remainder. */
function mod(a: unknown, b: unknown): unknown {
  if (typeof a !== 'string' && !(a instanceof String)) return (a as number) % (b as number);
  return pyFormat(a, b);
}

/** Python's `format % values` (`%s`, `%r`, `%d`, `%i`, `%f`, `%(name)s`, `%%`). */
export function pyFormat(a: unknown, b: unknown): string {
  const args = Array.isArray(b) ? b : [b];
  let i = 0;
  return String(a).replace(/%(\([^)]*\))?([-+ 0#]*\d*(?:\.\d+)?)([sdifr%])/g, (_m, key: string | undefined, spec: string, conv: string) => {
    if (conv === '%') return '%';
    const v = key ? (b as Record<string, unknown>)[key.slice(1, -1)] : args[i++];
    if (conv === 's') return pyStr(v);
    if (conv === 'r') return pyRepr(v);
    if (conv === 'd' || conv === 'i') return String(Math.trunc(Number(v)));
    const digits = /\.(\d+)/.exec(spec);
    return Number(v).toFixed(digits ? Number(digits[1]) : 6);
  });
}

/** Marks an argument written `*x` or `**x` at a call site (see jinja2-parser.ts). */
class Star {
  constructor(readonly value: unknown, readonly double: boolean) {}
}
const star = (value: unknown) => new Star(value, false);
const starStar = (value: unknown) => new Star(value, true);

/** The argument list of a call with `*args`/`**kwargs`, as nunjucks passes arguments. */
function spread(args: unknown[]): unknown[] {
  const pos: unknown[] = [];
  let kw: KwArgs | undefined;
  const addKw = (o: unknown) => {
    if (o === undefined || o === null) return;
    if (!isMapping(o) && !(o instanceof Namespace)) throw new Error('argument after ** must be a mapping');
    kw ??= { __keywords: true };
    Object.assign(kw, withoutMarker(o as KwArgs));
  };
  for (const a of args) {
    if (a instanceof Star) {
      if (a.double) addKw(a.value);
      else pos.push(...iterate(a.value));
    } else if (isKw(a)) addKw(a);
    else pos.push(a);
  }
  if (kw) pos.push(kw);
  return pos;
}

/** What `{% for x in v %}` iterates: a dict gives its keys, as in Python. */
export function iterate(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (v instanceof String) return [...String(v)];
  if (isMapping(v)) return v instanceof Map ? [...v.keys()] : Object.keys(v).filter((k) => k !== '__keywords');
  if (typeof v === 'object' && Symbol.iterator in (v as object)) return [...(v as Iterable<unknown>)];
  return v as unknown[];
}

/** For loops with one target: nunjucks iterates arrays only, Jinja2 any iterable. */
const forIter = (v: unknown): unknown => (isMapping(v) && !(v instanceof Map) ? iterate(v) : v);

/** `{% for x in v if cond %}`: the items `keep` accepts (a dict's keys, as Python iterates it). */
const loopFilter = (v: unknown, keep: (x: unknown) => boolean): unknown[] => iterate(v).filter((x) => keep(x));

/** `{% set a, b = v %}`: v's items, exactly n of them. */
function unpack(v: unknown, n: number): unknown[] {
  const items = iterate(v);
  if (items.length !== n) throw new Error(`${items.length > n ? 'too many' : 'not enough'} values to unpack: ${n} names, ${items.length} values`);
  return items;
}

/** `{% set ns.attr = v %}`. */
function setAttr(obj: unknown, attr: string, value: unknown): void {
  if (!(obj instanceof Namespace)) throw new Error(`cannot assign attribute on non-namespace object (\`${attr}\`): create it with namespace()`);
  (obj as unknown as Record<string, unknown>)[attr] = value;
}

/** Jinja2's `loop` at item i of arr, as jinja2-compiler.ts binds it (the template fast path's). */
export function loopVariable(arr: readonly unknown[], i: number): Record<string, unknown> {
  const n = arr.length;
  return {
    index: i + 1, index0: i, revindex: n - i, revindex0: n - i - 1, first: i === 0, last: i === n - 1, length: n,
    previtem: i > 0 ? arr[i - 1] : undefined, nextitem: arr[i + 1], depth: 1, depth0: 0, cycle: cycler(i),
  };
}

/** `loop.cycle('odd', 'even')`. */
const cycler = (i: number) => (...items: unknown[]) => (items.length ? items[i % items.length] : undefined);

/**
 * A macro as Jinja2 binds its arguments: positionally, then by name; extra positional arguments
 * go to `varargs` and unknown keywords to `kwargs` only when the body reads them (otherwise they
 * are Jinja2's errors); parameters not given are undefined unless they have a default (the body
 * function evaluates defaults, knowing from `given` which were passed). With `catchReturn`, a
 * `return()` inside ends the call with its value, as dbt's macros do; `{% call %}` bodies let it
 * pass to the macro around them.
 */
function macro(name: string, names: string[], catchVarargs: boolean, catchKwargs: boolean, catchReturn: boolean, body: (...a: unknown[]) => unknown) {
  return withDepthLimit(function jinjaMacro(this: unknown, ...raw: unknown[]): unknown {
    const kw = isKw(raw[raw.length - 1]) ? (raw.pop() as KwArgs) : undefined;
    const vals: unknown[] = new Array(names.length);
    const given: boolean[] = new Array(names.length).fill(false);
    const varargs: unknown[] = [];
    for (let i = 0; i < raw.length; i++) {
      if (i < names.length) {
        vals[i] = raw[i];
        given[i] = true;
      } else varargs.push(raw[i]);
    }
    if (varargs.length && !catchVarargs) throw new Error(`macro '${name}' takes not more than ${names.length} argument(s)`);
    const extra: Record<string, unknown> = {};
    let caller: unknown;
    if (kw) {
      for (const k of Object.keys(kw)) {
        if (k === '__keywords') continue;
        if (k === 'caller') {
          caller = kw[k];
          continue;
        }
        const at = names.indexOf(k);
        if (at >= 0) {
          if (given[at]) throw new Error(`macro '${name}' got multiple values for argument '${k}'`);
          vals[at] = kw[k];
          given[at] = true;
        } else if (catchKwargs) extra[k] = kw[k];
        else throw new Error(`macro '${name}' takes no keyword argument '${k}'`);
      }
    }
    if (!catchReturn) return body.call(this, ...vals, given, varargs, extra, caller);
    try {
      return body.call(this, ...vals, given, varargs, extra, caller);
    } catch (e) {
      if (e instanceof MacroReturn) return e.value;
      throw e;
    }
  });
}

let installed = false;

/** Makes the helpers reachable from compiled templates as `runtime.__j2`. */
export function installJinja2Runtime(): void {
  if (installed) return;
  installed = true;
  const j2: Record<string, unknown> = { truth, str: pyStr, compare, add, mul, mod, unpack, loopFilter, star, starStar, spread, forIter, setAttr, cycler, macro, held: undefined };
  // `a or b` / `a and b` (jinja2-compiler.ts): keeps `a` for the read that follows at once.
  j2.hold = (v: unknown) => {
    j2.held = v;
    return truth(v);
  };
  rt.__j2 = j2;
  rt.inOperator = inOperator;
  // `{{ x }}` prints str(x): None, True, [1, 2], {'a': 1} as Python does (autoescape is off).
  rt.suppressValue = (v: unknown) => (typeof v === 'string' || v instanceof String ? v : pyStr(v));
}
