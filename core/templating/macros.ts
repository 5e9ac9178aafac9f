// Project macros: every `{% macro %}` in macro-paths becomes callable from any model or macro,
// as in dbt. Each file is compiled once; its exports are registered as environment globals.
import nunjucks from 'nunjucks';
import { CairnError } from '../errors.js';
import type { SourceFile } from '../project/discover.js';
import type { TemplateEnv } from './environment.js';
import { tagMacro } from './macro-recursion.js';
import { preprocessBlocks, toCairnError } from './render.js';

export interface MacroInfo {
  name: string;
  file: string;
  line: number;
  args: string[];
  /** Text of the macro definition, for checksums and `state:modified.macros`. */
  body: string;
}

const MACRO_RE = /\{%-?\s*(macro|test)\s+(\w+)\s*\(([^)]*)\)\s*-?%\}/g;

export function scanMacros(file: SourceFile): MacroInfo[] {
  const out: MacroInfo[] = [];
  const src = file.content;
  for (const m of src.matchAll(MACRO_RE)) {
    const name = m[1] === 'test' ? `test_${m[2]}` : m[2]!;
    const start = m.index!;
    const endTag = m[1] === 'test' ? /\{%-?\s*endtest\s*-?%\}/g : /\{%-?\s*endmacro\s*-?%\}/g;
    endTag.lastIndex = start;
    const end = endTag.exec(src);
    out.push({
      name,
      file: file.path,
      line: src.slice(0, start).split('\n').length,
      args: m[3]!.split(',').map((a) => a.split('=')[0]!.trim()).filter(Boolean),
      body: src.slice(start, end ? end.index + end[0].length : src.length),
    });
  }
  return out;
}

/**
 * Registers the macros of `files`. With `lazy`, a file is compiled when a template first calls one
 * of its macros (compiling with nunjucks is most of loading them; a parse taken from the snapshot
 * renders one model), unless it sets top-level variables, which nunjucks also exports.
 * `tenv.loadPending()` compiles whatever is still waiting.
 */
export function loadMacros(tenv: TemplateEnv, files: readonly SourceFile[], opts: { lazy?: boolean } = {}): Map<string, MacroInfo> {
  const infos = new Map<string, MacroInfo>();
  const names = new Map<SourceFile, string[]>();
  for (const f of files) {
    for (const info of scanMacros(f)) {
      const prev = infos.get(info.name);
      if (prev) {
        throw new CairnError('DUPLICATE_NODE', `macro \`${info.name}\` is defined twice: ${prev.file}:${prev.line} and ${info.file}:${info.line}`, {
          file: info.file,
          line: info.line,
          hint: 'rename or delete one of them',
        });
      }
      infos.set(info.name, info);
      names.set(f, [...(names.get(f) ?? []), info.name]);
    }
  }
  for (const f of files) {
    const defined = names.get(f);
    if (opts.lazy && defined && lazyable(f.content, defined.length)) tenv.addLazyMacros(defined, () => compileMacroFile(tenv, f, infos));
    else compileMacroFile(tenv, f, infos);
  }
  return infos;
}

/**
 * Whether the names scanned are all a file exports: no top-level `{% set %}` (nunjucks exports
 * those too), and as many macro blocks as MACRO_RE recognized (one it cannot read, say with a `)`
 * in a default value, is found only by compiling).
 */
function lazyable(src: string, scanned: number): boolean {
  return !/\{%-?\s*set\s/.test(src) && (src.match(/\{%-?\s*(?:macro|test)\s/g) ?? []).length === scanned;
}

/**
 * The macros a macro file exports. Throws a located CairnError when it does not compile.
 * Shared with dbt's global macros (global-macros.ts), which are registered under their own package.
 */
export function compileMacroExports(tenv: TemplateEnv, f: Pick<SourceFile, 'path' | 'content'>): Record<string, unknown> {
  let tmpl: nunjucks.Template;
  try {
    tmpl = new nunjucks.Template(preprocessBlocks(f.content), tenv.env, f.path, true);
  } catch (e) {
    throw toCairnError(e, f.path, 'JINJA_SYNTAX');
  }
  let exported: Record<string, unknown> = {};
  tenv.withScope({}, () => {
    (tmpl as unknown as { getExported(cb: (e: Error | null, r: Record<string, unknown>) => void): void }).getExported((err, res) => {
      if (err) throw toCairnError(err, f.path, 'JINJA_RENDER', undefined, true);
      exported = res;
    });
  });
  return exported;
}

/**
 * A file that does not compile is reported once (tenv.brokenMacroFiles) and its macros become
 * stand-ins that throw its error: only the nodes that call them fail, as dbt reports per file.
 */
function compileMacroFile(tenv: TemplateEnv, f: SourceFile, infos: ReadonlyMap<string, MacroInfo>): void {
  let exported: Record<string, unknown>;
  try {
    exported = compileMacroExports(tenv, f);
  } catch (e) {
    const err = e as CairnError;
    tenv.brokenMacroFiles.push(err);
    const reason = err.message.replace(/^Jinja (syntax )?error: /, '');
    for (const info of scanMacros(f)) {
      tenv.addMacro(info.name, () => {
        const called = new CairnError(err.code, `macro \`${info.name}\` is defined in ${f.path}, which does not compile: ${reason}`, { file: f.path, line: err.location.line, hint: err.hint });
        (tenv.current() as { __error?: CairnError }).__error = called;
        throw called;
      });
    }
    return;
  }
  for (const [name, fn] of Object.entries(exported)) {
    const info = infos.get(name);
    tagMacro(fn, { name, file: info?.file ?? f.path, line: info?.line ?? 1 });
    tenv.addMacro(name, fn);
  }
}
