// Macro recursion with a limit, as Jinja has one (Python's recursion limit): a macro that calls
// itself (directly or through others) without end is a CairnError naming the chain and where the
// macro is defined, not "Maximum call stack size exceeded". Every nunjucks macro is made by
// runtime.makeMacro; wrapping it counts the depth. Names are attached after a macro file is
// compiled (makeMacro does not know them); a `{% call %}` block's caller counts as `caller`.
import nunjucks from 'nunjucks';
import { CairnError, isCairnError } from '../errors.js';

/** Nested macro calls allowed: far beyond real macros, well within the JS stack (each is ~10 frames). */
export const MAX_MACRO_DEPTH = 200;

export interface MacroSite {
  name: string;
  file: string;
  line: number;
}

const SITE = Symbol('cairn.macroSite');
type Tagged = ((...args: unknown[]) => unknown) & { [SITE]?: MacroSite };

const stack: Tagged[] = [];
let installed = false;

/** Where an error thrown here is put so the render reports it as it is (see yaml-values.ts stashErrors). */
let stash: () => { __error?: CairnError } | undefined = () => undefined;

/** Installs the wrapper once; `current` gives the render scope in progress. */
export function installMacroDepthLimit(current: () => object): void {
  stash = current as () => { __error?: CairnError };
  if (installed) return;
  installed = true;
  const runtime = (nunjucks as unknown as { runtime: { makeMacro: (a: string[], k: string[], f: (...x: unknown[]) => unknown) => Tagged } }).runtime;
  const make = runtime.makeMacro;
  runtime.makeMacro = function makeMacro(argNames, kwargNames, func) {
    return withDepthLimit(make(argNames, kwargNames, func));
  };
}

/** `macro` counting the depth of nested macro calls (jinja2-runtime.ts makes Jinja2 macros with it). */
export function withDepthLimit(macro: (...args: unknown[]) => unknown): Tagged {
  const wrapped: Tagged = function (this: unknown, ...args: unknown[]) {
    stack.push(wrapped);
    try {
      if (stack.length > MAX_MACRO_DEPTH) throw recursionError();
      return macro.apply(this, args);
    } catch (e) {
      // The JS stack ran out first (deep templates inside each macro): the same error.
      if (e instanceof RangeError && /call stack/i.test(e.message)) throw recursionError();
      throw e;
    } finally {
      stack.pop();
    }
  };
  return wrapped;
}

/** Names a compiled macro file's exports, so the recursion error can say which macro and where. */
export function tagMacro(fn: unknown, site: MacroSite): void {
  if (typeof fn === 'function') (fn as Tagged)[SITE] = site;
}

function recursionError(): CairnError {
  const names = stack.map((f) => f[SITE]?.name ?? '(inline macro or caller)');
  const last = stack.length - 1;
  // The repeating cycle at the top of the stack: from the previous call of the innermost macro.
  const prev = stack.lastIndexOf(stack[last]!, last - 1);
  const cycle = prev >= 0 ? names.slice(prev) : names.slice(-5);
  const site = stack[prev >= 0 ? prev : last]![SITE];
  const e = new CairnError('JINJA_RENDER', `macro recursion deeper than ${MAX_MACRO_DEPTH} calls: ${cycle.join(' → ')}${prev >= 0 ? ' → …' : ''} (called from ${names[0]})`, {
    file: site?.file,
    line: site?.line,
    hint: `a recursive macro needs a case that stops calling ${site ? `\`${site.name}\`` : 'itself'}; check its condition and the arguments it passes on`,
  });
  const scope = stash();
  if (scope && !isCairnError(scope.__error)) scope.__error = e;
  return e;
}
