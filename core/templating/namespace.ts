// Package namespaces as template globals: `dbt.type_string()`, `my_project.cents_to_dollars(x)`.
import type { MacroPackage, TemplateEnv } from './environment.js';

export function globalsOf(tenv: TemplateEnv): Record<string, unknown> {
  return (tenv.env as unknown as { globals: Record<string, unknown> }).globals;
}

/** `name.macro(...)`: an object with one getter per macro, unless `name` is taken (a macro or a dbt global). */
export function defineNamespace(tenv: TemplateEnv, name: string, pkg: MacroPackage): void {
  const globals = globalsOf(tenv);
  if (name in globals) return;
  const ns: Record<string, unknown> = {};
  for (const m of pkg.names()) Object.defineProperty(ns, m, { get: () => pkg.get(m), enumerable: true });
  Object.defineProperty(globals, name, { value: ns, writable: true, enumerable: true, configurable: true });
}
