// dbt's global project, written for cairn: the cross-database macros every dbt package relies on
// (`dbt.type_string()`, `dbt.dateadd(...)`, ...), as Jinja files in templates/global_macros/ loaded
// as the package `dbt`. Each public macro dispatches (`adapter.dispatch('x', 'dbt')`) to
// `duckdb__x` / `dremio__x` / `default__x`, so a project's own `duckdb__x` overrides cairn's.
//
// Off the hot path: the files are read and scanned once per process (~10 small files) and a file
// is compiled only when one of its macros is first called; a model that calls none pays nothing.
import { hash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../util/package-root.js';
import type { MacroPackage, TemplateEnv } from './environment.js';
import { compileMacroExports, scanMacros } from './macros.js';
import { defineNamespace, globalsOf } from './namespace.js';

export const GLOBAL_PACKAGE = 'dbt';

interface GlobalFile {
  path: string;
  content: string;
}

let scanned: { files: GlobalFile[]; fileOf: Map<string, GlobalFile> } | undefined;

function globalFiles(): { files: GlobalFile[]; fileOf: Map<string, GlobalFile> } {
  if (scanned) return scanned;
  const dir = packagePath('templates', 'global_macros');
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort().map((f) => ({
    path: `<cairn global macros>/${f}`,
    content: readFileSync(join(dir, f), 'utf8'),
  }));
  const fileOf = new Map<string, GlobalFile>();
  for (const f of files) for (const m of scanMacros({ ...f, relPath: f.path, root: '' })) fileOf.set(m.name, f);
  return (scanned = { files, fileOf });
}

let digest: string | undefined;
/** A digest of the global macro files: part of the partial-parse key, so a changed file reparses. */
export function globalMacrosDigest(): string {
  return (digest ??= hash('sha256', globalFiles().files.map((f) => `${f.path}\u0000${f.content}`).join('\u0000')));
}

/** Registers the `dbt` package, and each of its macros unqualified where the project defines none. */
export function installGlobalMacros(tenv: TemplateEnv): MacroPackage {
  const { fileOf } = globalFiles();
  const compiled = new Map<GlobalFile, Record<string, unknown>>();
  const pkg: MacroPackage = {
    get(name) {
      const f = fileOf.get(name);
      if (!f) return undefined;
      let exported = compiled.get(f);
      if (!exported) compiled.set(f, (exported = compileMacroExports(tenv, f)));
      return exported[name];
    },
    names: () => [...fileOf.keys()],
  };
  tenv.packages.set(GLOBAL_PACKAGE, pkg);
  defineNamespace(tenv, GLOBAL_PACKAGE, pkg);
  const globals = globalsOf(tenv);
  for (const name of fileOf.keys()) {
    // dbt resolves an unqualified name in the project first, then in its global project.
    if (tenv.hasMacro(name) || name in globals) continue;
    Object.defineProperty(globals, name, { get: () => pkg.get(name), enumerable: true, configurable: true });
  }
  return pkg;
}
