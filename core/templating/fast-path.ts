// A fast path for the Jinja most models are made of: text, `{{ ref() }}`/`source()`/`config()`/
// `var()`/`this`, project macro calls, `{% if is_incremental() %}`, `{% set x = [literals] %}` and
// `{% for x in list %}` with `loop.*`. Compiling a nunjucks template costs ~0.5 ms (lexer, parser,
// code generation, `new Function`); this parses the subset directly into a tiny tree and walks it.
//
// Anything outside the subset (filters, operators, unknown names, whitespace-sensitive constructs we
// do not model) makes `compileFast` return undefined and the caller uses nunjucks. At render time
// any exception also falls back to nunjucks, so errors are always nunjucks' own. The output must be
// byte-identical to nunjucks' (test/fast-path.test.ts checks every bench model both ways).
import nunjucks from 'nunjucks';
import type { RenderScope, TemplateEnv } from './environment.js';
import { isCloser, scanToken, tokenEnd } from './fast-path-token.js';
import { loopVariable, pyStr, truth } from './jinja2-runtime.js';

export type Expr =
  | { t: 'lit'; v: unknown }
  | { t: 'list'; items: Expr[] }
  | { t: 'frame'; name: string }
  | { t: 'scope'; name: string }
  | { t: 'global'; name: string }
  | { t: 'member'; obj: Expr; prop: string }
  | { t: 'call'; fn: Expr; args: Expr[]; kw: Array<[string, Expr]> | null }
  | { t: 'not'; e: Expr };

export type Stmt =
  | { t: 'text'; s: string }
  | { t: 'out'; e: Expr }
  | { t: 'if'; branches: Array<[Expr, Stmt[]]>; otherwise: Stmt[] }
  | { t: 'set'; name: string; e: Expr }
  | { t: 'for'; name: string; e: Expr; body: Stmt[] };

export interface FastProgram {
  body: Stmt[];
}

/** Scope names the fast path may read; the rest of the dbt context sends a model to nunjucks. */
const SCOPE_OK = new Set(['ref', 'source', 'config', 'var', 'env_var', 'this', 'is_incremental', 'target', 'model', 'execute', 'project_name']);
const LITERALS: Record<string, unknown> = { true: true, false: false, none: null, True: true, False: false, None: null };
/** Names nunjucks itself defines as globals; a template that shadows them is not ours to model. */
const NUNJUCKS_GLOBALS = new Set(['range', 'cycler', 'joiner', 'loop', 'caller', 'super', 'self', 'varargs', 'kwargs']);

class Unsupported extends Error {}
const no = (): never => {
  throw new Unsupported();
};

interface Tag {
  kind: 'text' | 'out' | 'block';
  text: string;
  /** Expression/statement tokens for `out`/`block`. */
  toks: string[];
}

/** Splits a template into text and tags, applying nunjucks' `-` whitespace control. */
function lex(src: string): Tag[] {
  const out: Tag[] = [];
  let i = 0;
  let dropLeading = false;
  const pushText = (s: string, trimRight: boolean) => {
    if (s.includes('#}')) no(); // nunjucks: "unexpected end of comment"
    if (dropLeading) s = s.replace(/^\s*/, '');
    dropLeading = false;
    if (trimRight) s = s.replace(/\s*$/, '');
    // nunjucks keeps an empty data node; it outputs nothing either way.
    if (s) out.push({ kind: 'text', text: s, toks: [] });
  };
  while (i < src.length) {
    const next = nextTagStart(src, i);
    if (next === -1) {
      pushText(src.slice(i), false);
      break;
    }
    if (next > i) pushText(src.slice(i, next), src[next + 2] === '-');
    const open = src.slice(next, next + 2);
    if (open === '{#') {
      const end = src.indexOf('#}', next + 2);
      if (end === -1) no();
      dropLeading = src[end - 1] === '-';
      i = end + 2;
      continue;
    }
    let j = next + 2 + (src[next + 2] === '-' ? 1 : 0);
    const toks: string[] = [];
    const closer = open === '{{' ? '}}' : '%}';
    for (;;) {
      const start = scanToken(src, j);
      if (start < 0) no();
      const tok = src.slice(start, (j = tokenEnd));
      if (isCloser(tok)) {
        if (!tok.endsWith(closer)) no();
        dropLeading = tok.startsWith('-');
        break;
      }
      toks.push(tok);
    }
    if (toks.length === 0) no();
    out.push({ kind: open === '{{' ? 'out' : 'block', text: '', toks });
    i = j;
  }
  return out;
}

function nextTagStart(src: string, from: number): number {
  let i = src.indexOf('{', from);
  while (i !== -1) {
    const c = src[i + 1];
    if (c === '{' || c === '%' || c === '#') return i;
    i = src.indexOf('{', i + 1);
  }
  return -1;
}

class ExprParser {
  private i = 0;
  constructor(private toks: string[], private names: (n: string) => Expr) {}
  peek(): string | undefined {
    return this.toks[this.i];
  }
  take(expect?: string): string {
    const t = this.toks[this.i++];
    if (t === undefined || (expect !== undefined && t !== expect)) no();
    return t!;
  }
  done(): void {
    if (this.i !== this.toks.length) no();
  }
  expr(): Expr {
    if (this.peek() === 'not') {
      this.i++;
      return { t: 'not', e: this.expr() };
    }
    let e = this.primary();
    for (;;) {
      const p = this.peek();
      if (p === '.') {
        this.i++;
        const prop = this.take();
        if (!/^[A-Za-z_]\w*$/.test(prop)) no();
        e = { t: 'member', obj: e, prop };
      } else if (p === '(') {
        this.i++;
        e = this.call(e);
      } else return e;
    }
  }
  private call(fn: Expr): Expr {
    const args: Expr[] = [];
    let kw: Array<[string, Expr]> | null = null;
    if (this.peek() === ')') {
      this.i++;
      return { t: 'call', fn, args, kw };
    }
    for (;;) {
      if (/^[A-Za-z_]\w*$/.test(this.peek() ?? '') && this.toks[this.i + 1] === '=') {
        const k = this.take();
        this.i++;
        (kw ??= []).push([k, this.expr()]);
      } else {
        if (kw) no(); // positional after keyword: let nunjucks report it
        args.push(this.expr());
      }
      const sep = this.take();
      if (sep === ')') break;
      if (sep !== ',' || this.peek() === ')') no();
    }
    return { t: 'call', fn, args, kw };
  }
  private primary(): Expr {
    const t = this.take();
    if (t[0] === "'" || t[0] === '"') return { t: 'lit', v: t.slice(1, -1) };
    if (/^\d/.test(t)) return { t: 'lit', v: t.includes('.') ? parseFloat(t) : parseInt(t, 10) };
    if (t === '[') {
      const items: Expr[] = [];
      if (this.peek() === ']') {
        this.i++;
        return { t: 'list', items };
      }
      for (;;) {
        items.push(this.expr());
        const sep = this.take();
        if (sep === ']') break;
        if (sep !== ',' || this.peek() === ']') no();
      }
      return { t: 'list', items };
    }
    if (/^[A-Za-z_]\w*$/.test(t)) {
      if (t === 'not' || t === 'in' || t === 'is' || t === 'and' || t === 'or') no();
      if (Object.prototype.hasOwnProperty.call(LITERALS, t)) return { t: 'lit', v: LITERALS[t] };
      return this.names(t);
    }
    return no();
  }
}

/**
 * Parses `src` into a fast program, or returns undefined when it needs the full nunjucks.
 * `frameNames` are names defined before the first line (a macro's parameters).
 */
export function compileFast(src: string, tenv: TemplateEnv, frameNames: readonly string[] = []): FastProgram | undefined {
  try {
    const tags = lex(src);
    let pos = 0;
    const frames: Array<Set<string>> = [new Set(frameNames)];
    const resolve = (n: string): Expr => {
      for (let k = frames.length - 1; k >= 0; k--) if (frames[k]!.has(n)) return { t: 'frame', name: n };
      if (tenv.hasMacro(n)) return { t: 'global', name: n };
      if (SCOPE_OK.has(n)) return { t: 'scope', name: n };
      return no();
    };
    const parseExpr = (toks: string[]): Expr => {
      const p = new ExprParser(toks, resolve);
      const e = p.expr();
      p.done();
      return e;
    };
    // Parses statements until one of `stops` (a block keyword) and returns the stop keyword found.
    const block = (stops: string[], inLoop: boolean): { body: Stmt[]; stop: string | undefined; toks: string[] } => {
      const body: Stmt[] = [];
      while (pos < tags.length) {
        const tag = tags[pos++]!;
        if (tag.kind === 'text') body.push({ t: 'text', s: tag.text });
        else if (tag.kind === 'out') body.push({ t: 'out', e: parseExpr(tag.toks) });
        else {
          const kw = tag.toks[0]!;
          if (stops.includes(kw)) return { body, stop: kw, toks: tag.toks.slice(1) };
          if (kw === 'if') {
            const branches: Array<[Expr, Stmt[]]> = [];
            let cond = parseExpr(tag.toks.slice(1));
            let otherwise: Stmt[] = [];
            for (;;) {
              const r = block(['elif', 'else', 'endif'], inLoop);
              if (r.stop === undefined) no();
              branches.push([cond, r.body]);
              if (r.stop === 'elif') {
                cond = parseExpr(r.toks);
                continue;
              }
              if (r.stop === 'else') {
                if (r.toks.length) no();
                const e = block(['endif'], inLoop);
                if (e.stop !== 'endif' || e.toks.length) no();
                otherwise = e.body;
              } else if (r.toks.length) no();
              break;
            }
            body.push({ t: 'if', branches, otherwise });
          } else if (kw === 'set') {
            // Only top-level `{% set name = expr %}`: sets inside loops have nunjucks' frame rules.
            const [name, eq, ...rest] = tag.toks.slice(1);
            if (inLoop || !name || eq !== '=' || !/^[A-Za-z_]\w*$/.test(name) || reserved(name, tenv)) no();
            const e = parseExpr(rest);
            frames[0]!.add(name!);
            body.push({ t: 'set', name: name!, e });
          } else if (kw === 'for') {
            const [name, inKw, ...rest] = tag.toks.slice(1);
            if (!name || inKw !== 'in' || !/^[A-Za-z_]\w*$/.test(name) || reserved(name, tenv)) no();
            const e = parseExpr(rest);
            frames.push(new Set([name!, 'loop']));
            const r = block(['endfor', 'else'], true);
            frames.pop();
            if (r.stop !== 'endfor' || r.toks.length) no();
            body.push({ t: 'for', name: name!, e, body: r.body });
          } else no();
        }
      }
      return { body, stop: undefined, toks: [] };
    };
    const r = block([], false);
    if (r.stop !== undefined) no();
    return { body: r.body };
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

export function reserved(name: string, tenv: TemplateEnv): boolean {
  return SCOPE_OK.has(name) || NUNJUCKS_GLOBALS.has(name) || tenv.hasMacro(name) || name in LITERALS || name === 'not';
}

type Frame = Map<string, unknown>;
type KwArgs = Record<string, unknown> & { __keywords: true };

const runtime = (nunjucks as unknown as { runtime: { memberLookup(obj: unknown, prop: string): unknown } }).runtime;

/** Renders a fast program; `scope` must be the current scope of `tenv` (macros read it). */
export function renderFast(prog: FastProgram, tenv: TemplateEnv, scope: RenderScope): string {
  const globals = (tenv.env as unknown as { globals: Record<string, unknown> }).globals;
  const frames: Frame[] = [new Map()];
  const lookup = (name: string): unknown => {
    for (let k = frames.length - 1; k >= 0; k--) {
      const v = frames[k]!.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const ev = (e: Expr): unknown => {
    switch (e.t) {
      case 'lit': return e.v;
      case 'list': return e.items.map(ev);
      case 'frame': return lookup(e.name);
      case 'scope': return scope[e.name];
      case 'global': return globals[e.name];
      case 'member': return runtime.memberLookup(ev(e.obj), e.prop);
      case 'not': return !truth(ev(e.e));
      case 'call': {
        const fn = ev(e.fn);
        if (typeof fn !== 'function') throw new Unsupported();
        const args = e.args.map(ev);
        if (e.kw) {
          const kw = {} as KwArgs;
          for (const [k, x] of e.kw) kw[k] = ev(x);
          kw.__keywords = true;
          args.push(kw);
        }
        return (fn as (...a: unknown[]) => unknown)(...args);
      }
    }
  };
  const run = (body: Stmt[]): string => {
    let out = '';
    for (const s of body) {
      switch (s.t) {
        case 'text': out += s.s; break;
        case 'out': {
          // As nunjucks prints with jinja2-runtime.ts: Python's str().
          const v = ev(s.e);
          out += typeof v === 'string' ? v : pyStr(v);
          break;
        }
        case 'if': {
          let hit = false;
          for (const [c, b] of s.branches) {
            if (truth(ev(c))) {
              out += run(b);
              hit = true;
              break;
            }
          }
          if (!hit) out += run(s.otherwise);
          break;
        }
        case 'set': frames[0]!.set(s.name, ev(s.e)); break;
        case 'for': {
          const arr = ev(s.e);
          if (!arr) break;
          if (!Array.isArray(arr)) throw new Unsupported();
          const n = arr.length;
          for (let i = 0; i < n; i++) {
            frames.push(new Map<string, unknown>([[s.name, arr[i]], ['loop', loopVariable(arr, i)]]));
            try {
              out += run(s.body);
            } finally {
              frames.pop();
            }
          }
          break;
        }
      }
    }
    return out;
  };
  return run(prog.body);
}

/** Scope names whose value is the same when a model is parsed and when it is compiled, or a relation. */
const SAME_IN_BOTH = new Set(['ref', 'source', 'this', 'config', 'var', 'env_var', 'is_incremental', 'project_name']);

/**
 * Whether the program's compiled SQL is its parse render with the relation placeholders replaced:
 * it reads only names that render the same in both modes, calls no macro (a macro may read
 * anything) but `pureMacros` (known to print only their arguments), reads no attribute of a
 * relation (`ref('x').identifier` differs) nor `config.get`.
 */
export function isRelationTransparent(prog: FastProgram, pureMacros?: ReadonlySet<string>): boolean {
  const okExpr = (e: Expr): boolean => {
    switch (e.t) {
      case 'lit': case 'frame': return true;
      case 'scope': return SAME_IN_BOTH.has(e.name);
      case 'global': return pureMacros?.has(e.name) ?? false;
      case 'list': return e.items.every(okExpr);
      case 'not': return okExpr(e.e);
      case 'member': return e.obj.t === 'frame' && e.obj.name === 'loop';
      case 'call': return okExpr(e.fn) && e.args.every(okExpr) && (e.kw ?? []).every(([, x]) => okExpr(x));
    }
  };
  const okBody = (body: Stmt[]): boolean => body.every((s) => {
    switch (s.t) {
      case 'text': return true;
      case 'out': case 'set': return okExpr(s.e);
      case 'if': return s.branches.every(([c, b]) => okExpr(c) && okBody(b)) && okBody(s.otherwise);
      case 'for': return okExpr(s.e) && okBody(s.body);
    }
  });
  return okBody(prog.body);
}
