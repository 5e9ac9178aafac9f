// Jinja2's tests and filters as dbt code uses them, where nunjucks lacks them or differs: `map`,
// `select`/`reject`, `selectattr`/`rejectattr` with a test, `items`, `unique` (case-insensitive by
// default, as Jinja2's), `join`/`sum` with `attribute=`, `min`/`max`, `count`, `format`, `trim`
// with characters, `attr`, `groupby` (sorted (grouper, list) pairs), `tojson` (Python's json.dumps, keys sorted, as Jinja2's), `list` of a dict
// (its keys), `string` (Python's str()), and dbt's `as_bool`/`as_number`/`as_native`/`as_text`,
// which in SQL templates return their input unchanged (dbt's TEXT_FILTERS; they convert only when
// dbt renders YAML natively).
import nunjucksRuntime from 'nunjucks';
import { isMapping, iterate, Namespace, pyFormat, pyJson, pyStr, splitArgs, truth } from './jinja2-runtime.js';

const memberLookup = (o: unknown, k: string) => (nunjucksRuntime as unknown as { runtime: { memberLookup(o: unknown, k: string): unknown } }).runtime.memberLookup(o, k);

type Env = nunjucksRuntime.Environment & {
  addTest(name: string, fn: (...a: any[]) => boolean): void;
  getTest(name: string): (...a: any[]) => boolean;
  getFilter(name: string): (...a: any[]) => unknown;
};

const isStr = (v: unknown): boolean => typeof v === 'string' || v instanceof String;

/** An attribute path such as `a.b` or `0`, read as Jinja2's `attribute=` does. */
function attrGetter(attr: unknown): (v: unknown) => unknown {
  const parts = String(attr).split('.');
  return (v) => {
    let cur = v as any;
    for (const p of parts) {
      if (cur === undefined || cur === null) return undefined;
      cur = Array.isArray(cur) && /^\d+$/.test(p) ? cur[Number(p)] : cur[p];
    }
    return cur;
  };
}

export function addJinja2Filters(nenv: nunjucksRuntime.Environment): void {
  const env = nenv as Env;
  const test = (name: unknown, args: unknown[]) => {
    const fn = env.getTest(String(name));
    return (v: unknown) => fn.call(undefined, v, ...args) === true;
  };

  // Tests (Python's isinstance checks; bools are numbers, Markup is a string).
  // Undefined counts as none (Jinja2 says no): cairn leaves undefined some values dbt has as None,
  // such as config fields never set (`model.config.unique_key is none` is true in dbt).
  env.addTest('none', (v) => v === null || v === undefined);
  env.addTest('defined', (v) => v !== undefined);
  env.addTest('undefined', (v) => v === undefined);
  env.addTest('string', isStr);
  env.addTest('number', (v) => typeof v === 'number' || typeof v === 'boolean');
  env.addTest('integer', (v) => (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'boolean');
  env.addTest('float', (v) => typeof v === 'number' && !Number.isInteger(v));
  env.addTest('boolean', (v) => typeof v === 'boolean');
  env.addTest('true', (v) => v === true);
  env.addTest('false', (v) => v === false);
  // dbt's relations and other API objects are mappings too (dbt_utils checks `obj is mapping`).
  env.addTest('mapping', (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof String) && !(v instanceof Namespace));
  env.addTest('iterable', (v) => isStr(v) || Array.isArray(v) || isMapping(v) || (typeof v === 'object' && v !== null && Symbol.iterator in v));
  env.addTest('sequence', (v) => isStr(v) || Array.isArray(v) || isMapping(v));
  env.addTest('callable', (v) => typeof v === 'function');
  env.addTest('in', (v, seq) => (isMapping(seq) ? Object.prototype.hasOwnProperty.call(seq, String(v)) : iterate(seq).includes(v) || (isStr(seq) && String(seq).includes(String(v)))));
  env.addTest('lower', (v) => isStr(v) && String(v) === String(v).toLowerCase());
  env.addTest('upper', (v) => isStr(v) && String(v) === String(v).toUpperCase());

  // dbt's text filters: unchanged in SQL templates.
  for (const name of ['as_bool', 'as_number', 'as_native', 'as_text']) env.addFilter(name, (v: unknown) => v);

  env.addFilter('tojson', (v: unknown, ...rest: unknown[]) => {
    const { pos, kw } = splitArgs(rest);
    const indent = (kw.indent ?? pos[0]) as number | undefined;
    return pyJson(v, true, indent === null ? undefined : indent);
  });
  env.addFilter('string', (v: unknown) => pyStr(v));
  env.addFilter('list', (v: unknown) => [...iterate(v)]);
  env.addFilter('items', (v: unknown) => (v === undefined || v === null ? [] : Object.keys(v as object).filter((k) => k !== '__keywords').map((k) => [k, (v as Record<string, unknown>)[k]])));
  env.addFilter('unique', (v: unknown, ...rest: unknown[]) => {
    const { pos, kw } = splitArgs(rest);
    const caseSensitive = truth(kw.case_sensitive ?? pos[0] ?? false);
    const get = kw.attribute ?? pos[1];
    const key = get === undefined || get === null ? (x: unknown) => x : attrGetter(get);
    const seen = new Set<unknown>();
    const out: unknown[] = [];
    for (const x of iterate(v)) {
      let k = key(x);
      if (!caseSensitive && isStr(k)) k = String(k).toLowerCase();
      if (!seen.has(k)) {
        seen.add(k);
        out.push(x);
      }
    }
    return out;
  });
  // map(attribute='a', default=d) or map('filter', args...).
  env.addFilter('map', function (this: unknown, v: unknown, ...rest: unknown[]) {
    const { pos, kw } = splitArgs(rest);
    const items = iterate(v);
    if (kw.attribute !== undefined) {
      const get = attrGetter(kw.attribute);
      return items.map((x) => {
        const got = get(x);
        return got === undefined && 'default' in kw ? kw.default : got;
      });
    }
    if (pos.length === 0) throw new Error('map() needs a filter name or attribute=');
    const filter = env.getFilter(String(pos[0]));
    const extra = Object.keys(kw).length ? [...pos.slice(1), { ...kw, __keywords: true }] : pos.slice(1);
    return items.map((x) => filter.call(this, x, ...extra));
  });
  // Jinja2's signatures where nunjucks' differ (keyword arguments, attribute=, str() of items).
  env.addFilter('join', (v: unknown, ...rest: unknown[]) => {
    const { pos, kw } = splitArgs(rest);
    const get = kw.attribute ?? pos[1];
    const items = iterate(v).map(get === undefined || get === null ? (x) => x : attrGetter(get));
    return items.map(pyStr).join(pyStr(kw.d ?? pos[0] ?? ''));
  });
  env.addFilter('sum', (v: unknown, ...rest: unknown[]) => {
    const { pos, kw } = splitArgs(rest);
    const get = kw.attribute ?? pos[0];
    const items = iterate(v).map(get === undefined || get === null ? (x) => x : attrGetter(get));
    return items.reduce((a: any, b: any) => a + b, (kw.start ?? pos[1] ?? 0) as number);
  });
  const extreme = (sign: number) => (v: unknown, ...rest: unknown[]) => {
    const { pos, kw } = splitArgs(rest);
    const caseSensitive = truth(kw.case_sensitive ?? pos[0] ?? false);
    const get = kw.attribute ?? pos[1];
    const key = (x: unknown) => {
      const k = get === undefined || get === null ? x : attrGetter(get)(x);
      return !caseSensitive && isStr(k) ? String(k).toLowerCase() : k;
    };
    let best: unknown;
    let bestKey: any;
    for (const x of iterate(v)) {
      const k = key(x) as any;
      if (best === undefined || (sign > 0 ? k > bestKey : k < bestKey)) [best, bestKey] = [x, k];
    }
    return best;
  };
  env.addFilter('min', extreme(-1));
  env.addFilter('max', extreme(1));
  env.addFilter('count', (v: unknown) => (isMapping(v) ? Object.keys(v).length : iterate(v).length));
  env.addFilter('format', (v: unknown, ...rest: unknown[]) => {
    const { pos, kw } = splitArgs(rest);
    return pyFormat(v, Object.keys(kw).length ? kw : pos);
  });
  env.addFilter('trim', (v: unknown, chars?: unknown) => {
    const str = pyStr(v);
    if (chars === undefined || chars === null) return str.trim();
    const set = String(chars);
    let [a, b] = [0, str.length];
    while (a < b && set.includes(str[a]!)) a++;
    while (b > a && set.includes(str[b - 1]!)) b--;
    return str.slice(a, b);
  });
  env.addFilter('attr', (v: unknown, name: unknown) => memberLookup(v, String(name)));
  // Jinja2's groupby: (grouper, list) pairs sorted by grouper, each also `.grouper` and `.list`.
  env.addFilter('groupby', (v: unknown, ...rest: unknown[]) => {
    const { pos, kw } = splitArgs(rest);
    const get = attrGetter(kw.attribute ?? pos[0]);
    const dflt = kw.default ?? pos[1];
    const groups = new Map<unknown, unknown[]>();
    for (const x of iterate(v)) {
      const k = get(x) ?? dflt;
      groups.set(k, [...(groups.get(k) ?? []), x]);
    }
    return [...groups.keys()].sort((a: any, b: any) => (a < b ? -1 : a > b ? 1 : 0)).map((k) => {
      const list = groups.get(k)!;
      return Object.assign([k, list], { grouper: k, list });
    });
  });
  const selecting = (keep: boolean, byAttr: boolean) => (v: unknown, ...rest: unknown[]) => {
    const { pos } = splitArgs(rest);
    const get = byAttr ? attrGetter(pos.shift()) : (x: unknown) => x;
    const check = pos.length ? test(pos[0], pos.slice(1)) : truth;
    return iterate(v).filter((x) => check(get(x)) === keep);
  };
  env.addFilter('select', selecting(true, false));
  env.addFilter('reject', selecting(false, false));
  env.addFilter('selectattr', selecting(true, true));
  env.addFilter('rejectattr', selecting(false, true));
}
