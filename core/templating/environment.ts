// The nunjucks environment every template renders in. dbt's globals (`ref`, `config`, `this`, ...)
// are getters on env.globals that read the *current* render scope: nunjucks renders synchronously,
// so one scope at a time is enough, and macros compiled once see the scope of whichever model
// calls them — exactly like dbt, where macros run in the calling model's context.
import nunjucks from 'nunjucks';
import type { CairnError } from '../errors.js';
import { dict, jinjaReturn, namespace } from './jinja2-runtime.js';
import { installMacroDepthLimit } from './macro-recursion.js';
import { addPythonTests, installPythonCompat } from './python-compat.js';

export type RenderScope = Record<string, unknown>;

/** The names a scope may provide; anything else a template reads comes from its own `{% set %}`. */
export const SCOPE_NAMES = [
  'ref', 'source', 'config', 'is_incremental', 'this', 'var', 'env_var', 'target', 'ds', 'ds_nodash',
  'run_started_at', 'invocation_id', 'model', 'execute', 'exceptions', 'log', 'doc', 'flags',
  'adapter', 'run_query', 'statement', 'load_result', 'graph', 'project_name', 'builtins', 'modules',
  'fromjson', 'tojson', 'fromyaml', 'toyaml', 'zip', 'set', 'print', 'range_', 'selected_resources',
  'api', 'local_md5', 'load_relation',
] as const;

/** The macros of one package (the root project, `dbt`'s global macros, an installed package). */
export interface MacroPackage {
  /** Its macro `name` (compiled on first use), or undefined. */
  get(name: string): unknown;
  names(): string[];
}

export interface TemplateEnv {
  env: nunjucks.Environment;
  /** Make `scope` the one templates see, run `fn`, restore the previous one (re-entrant). */
  withScope<T>(scope: RenderScope, fn: () => T): T;
  /** The scope of the render in progress (template functions read their node from it). */
  current(): RenderScope;
  /** Register a macro (a callable exported by a compiled macro file) as a global. */
  addMacro(name: string, fn: unknown): void;
  /** Names registered by `load` when a template first uses one of them (compiling macros takes time). */
  addLazyMacros(names: readonly string[], load: () => void): void;
  /** Runs every `load` of addLazyMacros not run yet (a full parse reports their errors up front). */
  loadPending(): void;
  hasMacro(name: string): boolean;
  macroNames(): string[];
  /**
   * The environment of an installed package (core/packages/): its macros are its own globals,
   * found first from its own templates, then the root project's (dbt's search order); every other
   * global, filter and the render scope are shared with the root.
   */
  forPackage(name: string, dir: string): TemplateEnv;
  /** The environment a file renders in: its package's, when it lies in an installed package. */
  forFile(path: string): TemplateEnv;
  /** The package environments made with forPackage, by package name. */
  packageEnvs(): ReadonlyMap<string, TemplateEnv>;
  /** A global holding macros as members (`dbt_utils.star(...)`); counts as a macro name. */
  addNamespace(name: string, ns: object): void;
  /** For `ns.macro()` with no such `ns`: a hint when the project declares a package of that name (set by the parse). */
  unknownNamespaceHint?: (ns: string) => string | undefined;
  /** The macros this environment registered itself (a package's own, without the root's). */
  ownMacroNames(): string[];
  /** Macro packages by name, for `adapter.dispatch` and `package.macro()` (templating/dispatch.ts). */
  packages: Map<string, MacroPackage>;
  /** Macro files that did not compile: each reported once; calling one of their macros throws its error. */
  brokenMacroFiles: CairnError[];
}

export function createTemplateEnv(): TemplateEnv {
  installPythonCompat();
  const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false, trimBlocks: false, lstripBlocks: false });
  addPythonTests(env);
  let current: RenderScope = {};
  installMacroDepthLimit(() => current);
  const globals = (env as unknown as { globals: Record<string, unknown> }).globals;
  // nunjucks ships `range`, `cycler`, `joiner` as globals; keep them, and route dbt's names to the scope.
  for (const name of SCOPE_NAMES) {
    Object.defineProperty(globals, name, { get: () => current[name], enumerable: true, configurable: true });
  }
  installJinja2Globals(globals);
  const shared: Shared = {
    withScope(scope, fn) {
      const prev = current;
      current = scope;
      try {
        return fn();
      } finally {
        current = prev;
      }
    },
    current: () => current,
    children: new Map(),
    byDir: new Map(),
    packages: new Map(),
    brokenMacroFiles: [],
  };
  return makeEnv(env, globals, shared, undefined);
}

interface Shared {
  withScope: TemplateEnv['withScope'];
  current: TemplateEnv['current'];
  /** Package environments by package name, and by their folder (`dbt_packages/x/`). */
  children: Map<string, TemplateEnv>;
  byDir: Map<string, TemplateEnv>;
  packages: Map<string, MacroPackage>;
  brokenMacroFiles: CairnError[];
  root?: TemplateEnv;
}

function makeEnv(env: nunjucks.Environment, globals: Record<string, unknown>, shared: Shared, parent: TemplateEnv | undefined): TemplateEnv {
  const macros = new Set<string>();
  const pending = new Set<() => void>();
  const self: TemplateEnv = {
    env,
    withScope: shared.withScope,
    current: shared.current,
    addMacro(name, fn) {
      macros.add(name);
      // A project macro may shadow a builtin such as `generate_schema_name`'s default.
      Object.defineProperty(globals, name, { value: fn, writable: true, enumerable: true, configurable: true });
    },
    addLazyMacros(names, load) {
      let loaded = false;
      const loadOnce = () => {
        if (!loaded) {
          loaded = true;
          pending.delete(loadOnce);
          load(); // registers each name with addMacro, replacing the getters below
        }
      };
      pending.add(loadOnce);
      for (const name of names) {
        macros.add(name);
        Object.defineProperty(globals, name, {
          get: () => {
            loadOnce();
            const d = Object.getOwnPropertyDescriptor(globals, name);
            return d && 'value' in d ? d.value : undefined; // not a getter again: load defined none
          },
          enumerable: true,
          configurable: true,
        });
      }
    },
    loadPending() {
      // Package macro files are compiled when first called, not here: a package's macro that cairn
      // cannot compile must not stop a project that never calls it (its users cannot fix it).
      for (const load of [...pending]) load();
    },
    addNamespace(name, ns) {
      macros.add(name);
      Object.defineProperty(globals, name, { value: ns, writable: true, enumerable: true, configurable: true });
    },
    hasMacro: (name) => macros.has(name) || (parent?.hasMacro(name) ?? false),
    macroNames: () => (parent ? [...new Set([...macros, ...parent.macroNames()])] : [...macros]),
    ownMacroNames: () => [...macros],
    forPackage(name, dir) {
      const root = shared.root!;
      if (self !== root) return root.forPackage(name, dir);
      const existing = shared.children.get(name);
      if (existing) return existing;
      // The same environment seen through prototypes: filters, tests and extensions are the root's,
      // globals are the package's own macros in front of the root's.
      const childGlobals = Object.create(globals) as Record<string, unknown>;
      const childEnv = Object.create(env) as nunjucks.Environment;
      Object.defineProperty(childEnv, 'globals', { value: childGlobals, writable: true, enumerable: true, configurable: true });
      const child = makeEnv(childEnv, childGlobals, shared, root);
      shared.children.set(name, child);
      shared.byDir.set(dir.endsWith('/') ? dir : dir + '/', child);
      return child;
    },
    forFile(path) {
      if (shared.byDir.size === 0) return self;
      for (const [dir, child] of shared.byDir) if (path.startsWith(dir)) return child;
      return shared.root!;
    },
    packageEnvs: () => shared.children,
    // One registry for the root and every package environment.
    packages: shared.packages,
    brokenMacroFiles: shared.brokenMacroFiles,
  };
  shared.root ??= self;
  return self;
}

/** dbt's `return()` leaves the macro with its value (jinja2-runtime.ts); Jinja2's `namespace()`, `dict()`. */
function installJinja2Globals(globals: Record<string, unknown>): void {
  globals.return = jinjaReturn;
  globals.namespace = namespace;
  globals.dict = dict;
}
