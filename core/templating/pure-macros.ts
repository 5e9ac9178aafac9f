// Project macros whose output depends on their arguments alone, such as dbt's own example
// `cents_to_dollars(col)`. A model that calls only these (and otherwise reads what renders the same
// when parsed and compiled) compiles from its parse render by substituting relations
// (core/compile/reuse-parse-render.ts) instead of rendering again: on the bench, 40% of the models
// call one.
//
// A macro is pure when its body is in the fast path's subset with its parameters as the only names
// defined outside it, and it reads no scope name (`this`, `ref`, `config`, `var`, ...), calls
// nothing but pure macros, reads no attribute but `loop.*`, has only literal defaults, and loops
// only over literal lists: an argument may be a relation in one mode and its placeholder text in
// the other, which print, pass on and test as true alike, but do not iterate alike.
import { compileFast, reserved, type Expr, type FastProgram, type Stmt } from './fast-path.js';
import type { TemplateEnv } from './environment.js';
import type { MacroInfo } from './macros.js';

const OPEN = /^\{%-?\s*macro\s+(\w+)\s*\(([^)]*)\)\s*-?%\}/;
const CLOSE = /\{%-?\s*endmacro\s*-?%\}$/;
const PARAM = /^\s*([A-Za-z_]\w*)\s*(?:=\s*(?:'[^']*'|"[^"]*"|-?\d+(?:\.\d+)?|true|false|none|True|False|None)\s*)?$/;

interface Candidate {
  prog: FastProgram;
  params: Set<string>;
}

/** The names of the pure macros among `macros`. */
export function pureMacroNames(tenv: TemplateEnv, macros: Iterable<MacroInfo>): Set<string> {
  const candidates = new Map<string, Candidate>();
  for (const m of macros) {
    const c = candidate(tenv, m);
    if (c) candidates.set(m.name, c);
  }
  // A macro that calls another is pure only if that one is: drop the impure until none is left.
  const pure = new Set(candidates.keys());
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, c] of candidates) {
      if (pure.has(name) && !pureBody(c.prog.body, c.params, literalNames(c.prog.body, c.params), pure)) {
        pure.delete(name);
        changed = true;
      }
    }
  }
  return pure;
}

function candidate(tenv: TemplateEnv, m: MacroInfo): Candidate | undefined {
  const open = OPEN.exec(m.body);
  const close = CLOSE.exec(m.body);
  if (!open || !close || open[1] !== m.name) return undefined;
  const params = new Set<string>();
  for (const p of open[2]!.match(/(?:'[^']*'|"[^"]*"|[^,'"])+/g) ?? []) {
    if (!p.trim()) continue;
    const got = PARAM.exec(p);
    if (!got || reserved(got[1]!, tenv) || params.has(got[1]!)) return undefined;
    params.add(got[1]!);
  }
  const prog = compileFast(m.body.slice(open[0].length, close.index), tenv, [...params]);
  return prog && { prog, params };
}

const isLiteral = (e: Expr): boolean => e.t === 'lit' || (e.t === 'list' && e.items.every(isLiteral));

/** Names only ever set to literals (and not parameters): their loops iterate alike in both modes. */
function literalNames(body: Stmt[], params: Set<string>): Set<string> {
  const sets = new Map<string, boolean>();
  const walk = (b: Stmt[]): void => {
    for (const s of b) {
      if (s.t === 'set') sets.set(s.name, (sets.get(s.name) ?? true) && isLiteral(s.e));
      else if (s.t === 'if') {
        for (const [, branch] of s.branches) walk(branch);
        walk(s.otherwise);
      } else if (s.t === 'for') walk(s.body);
    }
  };
  walk(body);
  return new Set([...sets].filter(([name, lit]) => lit && !params.has(name)).map(([name]) => name));
}

function pureBody(body: Stmt[], params: Set<string>, literal: Set<string>, pure: ReadonlySet<string>): boolean {
  const okExpr = (e: Expr): boolean => {
    switch (e.t) {
      case 'lit': case 'frame': return true;
      case 'scope': return false;
      case 'global': return false; // printing a macro itself; calls are checked below
      case 'list': return e.items.every(okExpr);
      case 'not': return okExpr(e.e);
      case 'member': return e.obj.t === 'frame' && e.obj.name === 'loop';
      case 'call': return e.fn.t === 'global' && pure.has(e.fn.name) && e.args.every(okExpr) && (e.kw ?? []).every(([, x]) => okExpr(x));
    }
  };
  const iterable = (e: Expr): boolean => isLiteral(e) || (e.t === 'frame' && literal.has(e.name));
  return body.every((s) => {
    switch (s.t) {
      case 'text': return true;
      case 'out': case 'set': return okExpr(s.e);
      case 'if': return s.branches.every(([c, b]) => okExpr(c) && pureBody(b, params, literal, pure)) && pureBody(s.otherwise, params, literal, pure);
      case 'for': return iterable(s.e) && pureBody(s.body, params, literal, pure);
    }
  });
}
