// Compiling and rendering one template, with nunjucks' errors turned into located CairnErrors.
import nunjucks from 'nunjucks';
import { CairnError, isCairnError } from '../errors.js';
import type { RenderScope, TemplateEnv } from './environment.js';
import { NeedsDatabase } from './introspection/session.js';
import { compileFast, renderFast, type FastProgram } from './fast-path.js';
import { namespaceProblem } from '../packages/namespace-problem.js';
import { didYouMean } from '../util/did-you-mean.js';

let fastPathEnabled = process.env.CAIRN_NO_FAST_PATH !== '1';
/** Turns the fast path off (tests compare its output with nunjucks'). */
export function setFastPath(on: boolean): void {
  fastPathEnabled = on;
}

/** dbt blocks nunjucks does not know, rewritten to plain macros before compiling. */
export function preprocessBlocks(src: string): string {
  if (!src.includes('{%')) return src;
  return src
    .replace(/\{%(-?)\s*test\s+(\w+)\s*\(/g, '{%$1 macro test_$2(')
    .replace(/\{%(-?)\s*endtest\s*(-?)%\}/g, '{%$1 endmacro $2%}')
    .replace(/\{%(-?)\s*materialization\s+(\w+)[^%]*(-?)%\}/g, '{%$1 macro materialization_$2() $3%}')
    .replace(/\{%(-?)\s*endmaterialization\s*(-?)%\}/g, '{%$1 endmacro $2%}');
}

export interface CompiledTemplate {
  file: string;
  /** The nunjucks template; null for plain text, and for fast templates until a fallback needs it. */
  template: nunjucks.Template | null;
  /** Source with no Jinja at all renders to itself; skip nunjucks entirely. */
  plain: string | null;
  /** The fast-path program (see fast-path.ts) and the source, for a lazy nunjucks fallback. */
  fast?: FastProgram;
  src?: string;
  /** From the partial-parse cache: compiled from `src` on first render. */
  lazy?: boolean;
  /** The parse renders, kept when compiling can reuse them (core/compile/reuse-parse-render.ts). */
  parseRenders?: ParseRenders;
}

/** A parse render (relations as placeholders) and the refs and sources it called, in order. */
export interface ParseRender {
  text: string;
  refs: ReadonlyArray<{ name: string; package?: string; version?: string | number }>;
  sources: ReadonlyArray<readonly [string, string]>;
}

export interface ParseRenders {
  base: ParseRender;
  /** With `is_incremental()` true; incremental models only. */
  incremental?: ParseRender;
}

/** A template compiled from `src` when first rendered (nodes served from the partial-parse cache). */
export function lazyTemplate(file: string, src: string): CompiledTemplate {
  return { file, template: null, plain: null, src, lazy: true };
}

export function compileTemplate(tenv: TemplateEnv, src: string, file: string): CompiledTemplate {
  // A file of an installed package compiles in its package's environment (its macros unqualified).
  tenv = tenv.forFile(file);
  if (!src.includes('{{') && !src.includes('{%') && !src.includes('{#')) return { file, template: null, plain: src };
  const fast = fastPathEnabled ? compileFast(src, tenv) : undefined;
  if (fast) return { file, template: null, plain: null, fast, src };
  try {
    // `src` is the caller's string (no copy): errors locate calls in it (namespaceError).
    return { file, template: new nunjucks.Template(preprocessBlocks(src), tenv.env, file, true), plain: null, src };
  } catch (e) {
    const err = toCairnError(e, file, 'JINJA_SYNTAX');
    if (err.location.line === undefined) {
      // nunjucks reports "end of file" with no line; point at the block that was never closed.
      const open = unclosedBlock(src);
      if (open) {
        return throwWith(err, open.line, `\`{% ${open.tag} %}\` on line ${open.line} has no \`{% end${open.tag} %}\``);
      }
    }
    throw err;
  }
}

const BLOCK_TAGS = new Set(['if', 'for', 'macro', 'call', 'filter', 'set', 'raw', 'block', 'test', 'docs', 'snapshot', 'materialization']);

/** The innermost block tag left open at the end of the file, if any. */
export function unclosedBlock(src: string): { tag: string; line: number } | undefined {
  const stack: Array<{ tag: string; line: number }> = [];
  for (const m of src.matchAll(/\{%-?\s*(end)?(\w+)([^%]*)-?%\}/g)) {
    const [, end, tag, rest] = m;
    if (!BLOCK_TAGS.has(tag!)) continue;
    // `{% set x = 1 %}` is not a block; `{% set x %}...{% endset %}` is.
    if (tag === 'set' && !end && rest!.includes('=')) continue;
    const line = src.slice(0, m.index).split('\n').length;
    if (end) {
      const i = stack.map((s) => s.tag).lastIndexOf(tag!);
      if (i >= 0) stack.splice(i);
    } else stack.push({ tag: tag!, line });
  }
  return stack.pop();
}

function throwWith(err: CairnError, line: number, hint: string): never {
  throw new CairnError(err.code, err.message, { file: err.location.file, line, node: err.location.node, hint });
}

/**
 * Renders with `scope` (built with `stashErrors`, so a CairnError thrown by `ref()` & co. survives
 * nunjucks' re-wrapping and keeps its code and hint).
 */
export function renderTemplate(tenv: TemplateEnv, t: CompiledTemplate, scope: RenderScope, node?: string): string {
  tenv = tenv.forFile(t.file);
  if (t.lazy) Object.assign(t, compileTemplate(tenv, t.src!, t.file), { lazy: false });
  if (t.plain !== null) return t.plain;
  if (t.fast) {
    // Any failure re-renders with nunjucks (after undoing what the scope recorded), so errors and
    // their locations are exactly nunjucks'.
    const restore = (scope as { __snapshot?: () => () => void }).__snapshot?.();
    try {
      return tenv.withScope(scope, () => renderFast(t.fast!, tenv, scope));
    } catch {
      restore?.();
    }
    if (!t.template) {
      try {
        t.template = new nunjucks.Template(preprocessBlocks(t.src!), tenv.env, t.file, true);
      } catch (e) {
        throw toCairnError(e, t.file, 'JINJA_SYNTAX');
      }
    }
  }
  const stash = scope as { __error?: CairnError };
  stash.__error = undefined;
  try {
    return tenv.withScope(scope, () => t.template!.render({}));
  } catch (e) {
    const inner = stash.__error as CairnError | undefined;
    // Not an error yet: the caller may answer it from the engine (core/compile/introspect.ts).
    if (inner instanceof NeedsDatabase) throw inner;
    if (inner) {
      const loc = parseLocation(String((e as Error).message), true);
      throw new CairnError(inner.code, inner.message, {
        file: inner.location.file ?? t.file,
        line: inner.location.line ?? loc.line,
        column: inner.location.column,
        node: inner.location.node ?? node,
        hint: inner.hint,
      });
    }
    throw namespaceError(tenv, toCairnError(e, t.file, 'JINJA_RENDER', node, true), t);
  }
}

/** `dbt_utils.x()` that nunjucks could not call: say which package and what to do (core/packages/hints.ts). */
function namespaceError(tenv: TemplateEnv, err: CairnError, t: CompiledTemplate): CairnError {
  const plain = /Unable to call `(\w+)`, which is undefined or falsey/.exec(err.message);
  if (plain) return unknownMacroError(tenv, err, t, plain[1]!);
  const m = /Unable to call `(\w+)\["(\w+)"\]`/.exec(err.message);
  if (!m) return err;
  // forFile('') is the root environment, which holds the parse's hint.
  const problem = namespaceProblem(tenv.forFile(''), m[1]!, m[2]!, err.location.file === t.file ? t.src : undefined);
  if (!problem) return err;
  // nunjucks' line for a call is not always the call's (nor always given): the call in the source is.
  const at = err.location.file === t.file && t.src ? new RegExp(`\\b${m[1]}\\s*\\.\\s*${m[2]}\\s*\\(`).exec(t.src) : null;
  const where = at ? { line: t.src!.slice(0, at.index).split('\n').length, column: at.index - t.src!.lastIndexOf('\n', at.index - 1) } : {};
  return new CairnError('JINJA_RENDER', problem.message, { ...err.location, ...where, hint: problem.hint });
}

/** `name(...)` where nothing is called `name`: say so plainly, at the call's line, with the nearest macro name. */
function unknownMacroError(tenv: TemplateEnv, err: CairnError, t: CompiledTemplate, name: string): CairnError {
  const at = err.location.file === t.file && t.src ? new RegExp(`(?<![\\w.])${name}\\s*\\(`).exec(t.src) : null;
  const where = at ? { line: t.src!.slice(0, at.index).split('\n').length, column: at.index - t.src!.lastIndexOf('\n', at.index - 1) } : {};
  const root = tenv.forFile('');
  const globals = Object.keys((root.env as unknown as { globals: Record<string, unknown> }).globals).filter((g) => !g.startsWith('_'));
  const near = didYouMean(name, [...root.macroNames(), ...globals]);
  return new CairnError('JINJA_RENDER', `\`${name}\` is not a macro of this project, of an installed package or of cairn`, {
    ...err.location, ...where,
    hint: near ?? `define it in a file under macros/, or install the package that has it (packages.yml, then \`cairn deps\`) and call it as \`package.${name}()\``,
  });
}

/**
 * The `[Line x, Column y]` nunjucks puts in a message. Its parser counts from 1, but the positions
 * its generated code records for run-time errors count from 0 (`runtime` errors add one).
 */
function parseLocation(message: string, runtime = false): { line?: number; column?: number } {
  const m = /\[Line (\d+), Column (\d+)\]/.exec(message);
  const add = runtime ? 1 : 0;
  return m ? { line: Number(m[1]) + add, column: Number(m[2]) + add } : {};
}

export function toCairnError(e: unknown, file: string, code: 'JINJA_SYNTAX' | 'JINJA_RENDER', node?: string, runtime = false): CairnError {
  if (isCairnError(e)) return e;
  const raw = String((e as Error)?.message ?? e);
  const loc = parseLocation(raw, runtime);
  // nunjucks prefixes "Template render error: (file) [Line x, Column y]\n  " — keep only the reason.
  let reason = raw.split('\n').slice(1).join(' ').trim() || raw;
  reason = reason.replace(/^Error:\s*/, '').replace(/^Template render error:\s*/, '');
  const syntax = /unexpected|expected|unknown block tag|unclosed|parseAggregate|end of file/i.test(reason);
  const finalCode = syntax ? 'JINJA_SYNTAX' : code;
  const hint = syntax
    ? 'check that every `{{` has its `}}` and every `{% if/for/macro %}` its `{% end... %}`'
    : /Unable to call `(\w+)`/.test(reason)
      ? `\`${/Unable to call `(\w+)`/.exec(reason)![1]}\` is not a macro of this project or a cairn builtin`
      : undefined;
  return new CairnError(finalCode, `${finalCode === 'JINJA_SYNTAX' ? 'Jinja syntax error' : 'Jinja error'}: ${reason}`, {
    file,
    line: loc.line,
    column: loc.column,
    node,
    hint,
  });
}
