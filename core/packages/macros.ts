// Installed packages' macros, as dbt resolves them: each package's macros (and its generic tests)
// are globals of its own environment, so its models and macros call them unqualified; everywhere
// they are `<package>.<macro>(...)`. A root project macro of the same name does not replace a
// package's own inside the package (dbt searches the calling package first).
import type { SourceFile } from '../project/discover.js';
import type { LoadedPackage } from '../project/load-project.js';
import type { TemplateEnv } from '../templating/environment.js';
import { loadMacros, type MacroInfo } from '../templating/macros.js';

/** Registers every package's macros; returns their infos by package name. */
export function loadPackageMacros(tenv: TemplateEnv, packages: readonly LoadedPackage[], testFiles: readonly SourceFile[]): Map<string, Map<string, MacroInfo>> {
  const out = new Map<string, Map<string, MacroInfo>>();
  for (const pkg of packages) {
    const env = tenv.forPackage(pkg.name, pkg.dir);
    const generic = testFiles.filter((f) => f.path.startsWith(`${pkg.dir}/`) && f.relPath.startsWith('generic/'));
    // A file that does not compile fails only the templates calling its macros (macros.ts).
    out.set(pkg.name, loadMacros(env, [...pkg.macroFiles, ...generic], { lazy: true }));
    tenv.addNamespace(pkg.name, namespaceOf(env));
    registerMacroPackage(tenv, pkg.name, env);
  }
  return out;
}

/**
 * The package's own macros in `tenv.packages`, the registry `adapter.dispatch` searches
 * (templating/dispatch.ts): `adapter.dispatch('x', 'dbt_utils')` finds `dbt_utils.default__x`.
 */
function registerMacroPackage(tenv: TemplateEnv, name: string, env: TemplateEnv): void {
  const registry = tenv.packages;
  const globals = (env.env as unknown as { globals: Record<string, unknown> }).globals;
  registry.set(name, {
    get: (macro: string) => (Object.prototype.hasOwnProperty.call(globals, macro) ? globals[macro] : undefined),
    names: () => env.ownMacroNames(),
  });
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
