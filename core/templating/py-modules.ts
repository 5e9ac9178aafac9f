// `modules.datetime`, `modules.re`, `modules.itertools`: the parts of Python's modules dbt code
// calls from Jinja. Subsets, not emulations: constructors, formatting and parsing for datetime;
// match/search/fullmatch/findall/sub/split/compile/escape for re; chain/product/combinations/
// permutations for itertools. Keyword arguments arrive as nunjucks' trailing `__keywords` object.
import { PyDateTime, strftime } from './datetime.js';
import { CALLABLE_NAMESPACE } from './python-compat.js';

/** A function with members, reachable from templates as both. */
const callable = <F extends object, M extends object>(fn: F, members: M): F & M => Object.assign(fn, members, { [CALLABLE_NAMESPACE]: true });

type Kw = Record<string, unknown> & { __keywords?: true };
const isKw = (v: unknown): v is Kw => typeof v === 'object' && v !== null && (v as Kw).__keywords === true;
function splitKw(args: unknown[]): [unknown[], Kw] {
  const last = args[args.length - 1];
  return isKw(last) ? [args.slice(0, -1), last] : [args, {}];
}
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export class PyDate {
  readonly date: Date;
  constructor(year: number, month: number, day: number) {
    this.date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  }
  get year() { return this.date.getUTCFullYear(); }
  get month() { return this.date.getUTCMonth() + 1; }
  get day() { return this.date.getUTCDate(); }
  strftime(fmt: string): string { return strftime(this.date, fmt); }
  isoformat(): string { return `${pad(this.year, 4)}-${pad(this.month)}-${pad(this.day)}`; }
  /** Monday is 0, as in Python. */
  weekday(): number { return (this.date.getUTCDay() + 6) % 7; }
  toString(): string { return this.isoformat(); }
}

export class PyTimedelta {
  readonly ms: number;
  constructor(kw: Kw) {
    const n = (k: string) => Number(kw[k] ?? 0);
    this.ms = (((n('weeks') * 7 + n('days')) * 24 + n('hours')) * 60 + n('minutes')) * 60_000 + n('seconds') * 1000 + n('milliseconds') + n('microseconds') / 1000;
  }
  get days() { return Math.floor(this.ms / 86_400_000); }
  get seconds() { return Math.floor((this.ms % 86_400_000) / 1000); }
  total_seconds(): number { return this.ms / 1000; }
}

function datetimeOf(...args: unknown[]): PyDateTime {
  const [pos, kw] = splitKw(args);
  const get = (i: number, k: string, d: number) => Number(pos[i] ?? kw[k] ?? d);
  return new PyDateTime(new Date(Date.UTC(get(0, 'year', 1970), get(1, 'month', 1) - 1, get(2, 'day', 1), get(3, 'hour', 0), get(4, 'minute', 0), get(5, 'second', 0), get(6, 'microsecond', 0) / 1000)));
}

/** Python's strptime for the numeric directives dbt projects use (%Y %m %d %H %M %S %f %y %j). */
function strptime(s: string, fmt: string): PyDateTime {
  const parts: Record<string, number> = {};
  const order: string[] = [];
  const re = fmt.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%([YmdHMSfyj%])/g, (_m, c: string) => {
    if (c === '%') return '%';
    order.push(c);
    return c === 'Y' ? '(\\d{4})' : c === 'f' ? '(\\d{1,6})' : c === 'j' ? '(\\d{1,3})' : '(\\d{1,2})';
  });
  const m = new RegExp(`^${re}$`).exec(String(s));
  if (!m) throw new Error(`time data '${s}' does not match format '${fmt}'`);
  order.forEach((c, i) => (parts[c] = Number(c === 'f' ? m[i + 1]!.padEnd(6, '0') : m[i + 1])));
  const year = parts.Y ?? (parts.y !== undefined ? 2000 + parts.y : 1900);
  const d = new Date(Date.UTC(year, (parts.m ?? 1) - 1, parts.d ?? 1, parts.H ?? 0, parts.M ?? 0, parts.S ?? 0, (parts.f ?? 0) / 1000));
  if (parts.j !== undefined) d.setUTCDate(parts.j);
  return new PyDateTime(d);
}

const datetimeModule = {
  date: callable((...a: unknown[]) => {
    const [pos, kw] = splitKw(a);
    return new PyDate(Number(pos[0] ?? kw.year), Number(pos[1] ?? kw.month), Number(pos[2] ?? kw.day));
  }, {
    today: () => { const n = new Date(); return new PyDate(n.getUTCFullYear(), n.getUTCMonth() + 1, n.getUTCDate()); },
    fromisoformat: (s: string) => { const [y, m, d] = String(s).split('-').map(Number); return new PyDate(y!, m!, d!); },
  }),
  datetime: callable(datetimeOf, {
    now: () => new PyDateTime(new Date()),
    utcnow: () => new PyDateTime(new Date()),
    strptime,
    fromisoformat: (s: string) => new PyDateTime(new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${String(s).replace(' ', 'T')}Z`)),
  }),
  timedelta: (...a: unknown[]) => new PyTimedelta(splitKw(a)[1]),
};

// --- re ------------------------------------------------------------------------------------------
const FLAGS = { IGNORECASE: 2, I: 2, MULTILINE: 8, M: 8, DOTALL: 16, S: 16 } as const;
const jsFlags = (f: unknown) => { const n = Number(f ?? 0); return `${n & 2 ? 'i' : ''}${n & 8 ? 'm' : ''}${n & 16 ? 's' : ''}`; };
/** Python's pattern syntax where it differs from JavaScript's: named groups. */
const jsPattern = (p: unknown) => String(p).replace(/\(\?P<(\w+)>/g, '(?<$1>').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');

class PyMatch {
  constructor(private readonly m: RegExpExecArray) {}
  group(...n: Array<number | string>): unknown {
    const one = (k: number | string) => (typeof k === 'string' ? this.m.groups?.[k] : this.m[k]) ?? null;
    return n.length <= 1 ? one(n[0] ?? 0) : n.map(one);
  }
  groups(): unknown[] { return this.m.slice(1).map((g) => g ?? null); }
  groupdict(): Record<string, unknown> { return { ...(this.m.groups ?? {}) }; }
  start(): number { return this.m.index; }
  end(): number { return this.m.index + this.m[0].length; }
  span(): number[] { return [this.start(), this.end()]; }
}

class PyPattern {
  readonly pattern: string;
  private readonly src: string;
  private readonly flags: string;
  constructor(p: unknown, f?: unknown) {
    this.pattern = String(p);
    this.src = jsPattern(p);
    this.flags = jsFlags(f);
  }
  private re(extra = '', src = this.src) { return new RegExp(src, this.flags + extra); }
  match(s: unknown) { const m = this.re('y').exec(String(s)); return m ? new PyMatch(m) : null; }
  fullmatch(s: unknown) { const m = this.re('', `^(?:${this.src})$`).exec(String(s)); return m ? new PyMatch(m) : null; }
  search(s: unknown) { const m = this.re().exec(String(s)); return m ? new PyMatch(m) : null; }
  findall(s: unknown) {
    return [...String(s).matchAll(this.re('g'))].map((m) => (m.length === 1 ? m[0] : m.length === 2 ? m[1] ?? '' : m.slice(1).map((g) => g ?? '')));
  }
  sub(repl: unknown, s: unknown, count?: unknown) {
    let left = Number(count ?? 0) || Infinity;
    return String(s).replace(this.re('g'), (...args: unknown[]) => {
      if (left-- <= 0) return args[0] as string;
      const groups = args.slice(1, args.findIndex((a) => typeof a === 'number'));
      if (typeof repl === 'function') return String(repl(new PyMatch(Object.assign([args[0], ...groups], { index: 0, input: '' }) as unknown as RegExpExecArray)));
      return String(repl).replace(/\\(\d+)|\\g<(\w+)>/g, (_m, n?: string, name?: string) => String((n ? groups[Number(n) - 1] : (args[args.length - 1] as Record<string, string> | undefined)?.[name!]) ?? ''));
    });
  }
  split(s: unknown, maxsplit?: unknown) {
    const out: string[] = [];
    const str = String(s);
    let last = 0;
    let n = Number(maxsplit ?? 0) || Infinity;
    for (const m of str.matchAll(this.re('g'))) {
      if (n-- <= 0) break;
      out.push(str.slice(last, m.index), ...m.slice(1).map((g) => g ?? ''));
      last = m.index! + m[0].length;
    }
    out.push(str.slice(last));
    return out;
  }
}

const reModule = {
  ...FLAGS,
  compile: (p: unknown, f?: unknown) => new PyPattern(p, f),
  match: (p: unknown, s: unknown, f?: unknown) => new PyPattern(p, f).match(s),
  fullmatch: (p: unknown, s: unknown, f?: unknown) => new PyPattern(p, f).fullmatch(s),
  search: (p: unknown, s: unknown, f?: unknown) => new PyPattern(p, f).search(s),
  findall: (p: unknown, s: unknown, f?: unknown) => new PyPattern(p, f).findall(s),
  sub: (p: unknown, repl: unknown, s: unknown, count?: unknown, f?: unknown) => new PyPattern(p, f).sub(repl, s, count),
  split: (p: unknown, s: unknown, maxsplit?: unknown, f?: unknown) => new PyPattern(p, f).split(s, maxsplit),
  escape: (s: unknown) => String(s).replace(/[.*+?^${}()|[\]\\\-#&~\s]/g, '\\$&'),
};

// --- itertools -----------------------------------------------------------------------------------
const list = (it: unknown): unknown[] => (Array.isArray(it) ? it : typeof it === 'string' ? [...it] : it && typeof it === 'object' ? Object.keys(it) : []);

function combinations(it: unknown, r: number): unknown[][] {
  const xs = list(it);
  const out: unknown[][] = [];
  const walk = (start: number, acc: unknown[]) => {
    if (acc.length === r) return void out.push(acc);
    for (let i = start; i < xs.length; i++) walk(i + 1, [...acc, xs[i]]);
  };
  walk(0, []);
  return out;
}

function permutations(it: unknown, r?: number): unknown[][] {
  const xs = list(it);
  const k = r ?? xs.length;
  const out: unknown[][] = [];
  const walk = (acc: number[]) => {
    if (acc.length === k) return void out.push(acc.map((i) => xs[i]));
    for (let i = 0; i < xs.length; i++) if (!acc.includes(i)) walk([...acc, i]);
  };
  walk([]);
  return out;
}

const itertoolsModule = {
  chain: callable((...its: unknown[]) => its.flatMap(list), { from_iterable: (its: unknown) => list(its).flatMap(list) }),
  product: (...a: unknown[]) => {
    const [its, kw] = splitKw(a);
    const pools = Array.from({ length: Number(kw.repeat ?? 1) }, () => its.map(list)).flat();
    return pools.reduce<unknown[][]>((acc, pool) => acc.flatMap((p) => pool.map((x) => [...p, x])), [[]]);
  },
  combinations: (it: unknown, r: unknown) => combinations(it, Number(r)),
  permutations: (it: unknown, r?: unknown) => permutations(it, r === undefined || r === null ? undefined : Number(r)),
};

export const pyModules: Readonly<Record<'datetime' | 're' | 'itertools', Record<string, unknown>>> = { datetime: datetimeModule, re: reModule, itertools: itertoolsModule };
