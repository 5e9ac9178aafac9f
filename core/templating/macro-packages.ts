// Macro packages: the root project's macros and dbt's global macros (global-macros.ts), each
// reachable as `package.macro(...)` and through `adapter.dispatch` (dispatch.ts). A project's macros
// are also environment globals (macros.ts); a package namespace is a small object of getters, so
// a macro file is still compiled only when one of its macros is first called.
import type { MacroPackage, TemplateEnv } from './environment.js';
import { installGlobalMacros } from './global-macros.js';
import type { MacroInfo } from './macros.js';
import { defineNamespace, globalsOf } from './namespace.js';

/** Registers the root project's package and dbt's, after the project's macros are loaded. */
export function installMacroPackages(tenv: TemplateEnv, projectName: string, macros: ReadonlyMap<string, MacroInfo>): void {
  const globals = globalsOf(tenv);
  const project: MacroPackage = {
    get: (name) => (macros.has(name) ? globals[name] : undefined),
    names: () => [...macros.keys()],
  };
  tenv.packages.set(projectName, project);
  defineNamespace(tenv, projectName, project);
  installGlobalMacros(tenv);
}
