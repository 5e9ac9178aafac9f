// Installed packages' macros, as dbt resolves them: each package's macros (and its generic tests)
// are globals of its own environment, so its models and macros call them unqualified; everywhere
// they are `<package>.<macro>(...)`. A root project macro of the same name does not replace a
// package's own inside the package (dbt searches the calling package first).
import type { SourceFile } from '../project/discover.js';
import type { LoadedPackage } from '../project/load-project.js';
import type { TemplateEnv } from '../templating/environment.js';
import { loadMacros, scanMacros, type MacroInfo } from '../templating/macros.js';

/** Registers every package's macros; returns their infos by package name. */
export function loadPackageMacros(tenv: TemplateEnv, packages: readonly LoadedPackage[], testFiles: readonly SourceFile[]): Map<string, Map<string, MacroInfo>> {
  const out = new Map<string, Map<string, MacroInfo>>();
  for (const pkg of packages) {
    const env = tenv.forPackage(pkg.name, pkg.dir);
    const generic = testFiles.filter((f) => f.path.startsWith(`${pkg.dir}/`) && f.relPath.startsWith('generic/'));
    const infos = new Map<string, MacroInfo>();
    for (const f of [...pkg.macroFiles, ...generic]) {
      try {
        for (const [name, info] of loadMacros(env, [f], { lazy: true })) infos.set(name, info);
      } catch (e) {
        // A file cairn cannot compile fails the templates that call its macros, not the project:
        // packages are code their users do not maintain, and most of a package goes unused.
        for (const info of scanMacros(f)) {
          infos.set(info.name, info);
          failing(env, info.name, e);
        }
      }
    }
    out.set(pkg.name, infos);
    tenv.addNamespace(pkg.name, namespaceOf(env));
    registerMacroPackage(tenv, pkg.name, env);
  }
  return out;
}

/**
 * Where the environment keeps macro packages by name for `adapter.dispatch` (`tenv.packages`, a Map
 * of `{get(name), names()}`, when the dispatch implementation provides one), the package's own
 * macros are listed too, so that dispatch finds `dbt_utils.default__x` without knowing about
 * installed packages.
 */
function registerMacroPackage(tenv: TemplateEnv, name: string, env: TemplateEnv): void {
  const registry = (tenv as unknown as { packages?: unknown }).packages;
  if (!(registry instanceof Map)) return;
  const globals = (env.env as unknown as { globals: Record<string, unknown> }).globals;
  registry.set(name, {
    get: (macro: string) => (Object.prototype.hasOwnProperty.call(globals, macro) ? globals[macro] : undefined),
    names: () => env.ownMacroNames(),
  });
}

/** Registers `name` as a macro whose every use throws `error` (the compile error of its file). */
function failing(env: TemplateEnv, name: string, error: unknown): void {
  env.addLazyMacros([name], () => {});
  const globals = (env.env as unknown as { globals: Record<string, unknown> }).globals;
  const fail = () => {
    // Kept on the render's scope: nunjucks re-wraps what a lookup throws; render.ts reports this one.
    (env.current() as { __error?: unknown }).__error = error;
    throw error;
  };
  Object.defineProperty(globals, name, { get: fail, enumerable: true, configurable: true });
}

/** `dbt_utils` as a value: one member per macro of the package, read from its environment when called. */
function namespaceOf(env: TemplateEnv): object {
  const globals = (env.env as unknown as { globals: Record<string, unknown> }).globals;
  const ns: Record<string, unknown> = {};
  for (const name of env.ownMacroNames()) {
    Object.defineProperty(ns, name, { get: () => globals[name], enumerable: true });
  }
  return Object.freeze(ns);
}
