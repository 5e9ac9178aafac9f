// The Jinja scope of one node. In `parse` mode `ref()`/`source()`/`config()` only record what the
// node asks for (its dependencies and inline config); in `compile` mode they resolve to relations.
import { CairnError, isCairnError } from '../errors.js';
import { mergeConfig } from '../project/node-config.js';
import type { NodeConfig, ProjectNode, RefCall } from '../project/types.js';
import { PyDateTime } from '../templating/datetime.js';
import { pyJson, splitArgs as splitJinjaArgs } from '../templating/jinja2-runtime.js';
import type { RenderScope } from '../templating/environment.js';
import { introspectionFunctions } from '../templating/introspection/scope-functions.js';
import type { IntrospectionSession, RenderLog } from '../templating/introspection/session.js';
import { RelationProxy } from '../templating/relation-proxy.js';
import { makeEnvVar } from '../templating/yaml-values.js';
import { didYouMean } from '../util/did-you-mean.js';
import { registerSecret } from '../util/redact.js';
import { publicTargetOf } from '../project/profiles.js';
import type { CompileContext } from './context.js';
import { adapterObject, apiObject, emptyGraph, graphOf, localMd5, modules } from './dbt-context.js';

export interface ParseCapture {
  refs: RefCall[];
  sources: Array<[string, string]>;
  config: NodeConfig;
}

export interface CompileHooks {
  resolveRef(call: RefCall): string | RelationProxy;
  resolveSource(source: string, table: string): RelationProxy;
  thisRelation: RelationProxy;
  isIncremental: boolean;
  /** The node's config after all precedence levels (for `config.get`). */
  config: NodeConfig;
  /** Answers from the engine for `run_query` & co. (core/compile/introspect.ts); none: they cannot run. */
  introspection?: IntrospectionSession;
  /** Where `log`/`print`/`exceptions.warn` go when there is no session. */
  onLog?: (l: RenderLog) => void;
}

type Kw = Record<string, unknown> & { __keywords?: true };
const isKw = (v: unknown): v is Kw => typeof v === 'object' && v !== null && (v as Kw).__keywords === true;

function splitArgs(args: unknown[]): { pos: unknown[]; kw: Kw } {
  const last = args[args.length - 1];
  return isKw(last) ? { pos: args.slice(0, -1), kw: last } : { pos: args, kw: {} };
}

export function refCallOf(args: unknown[], node: ProjectNode): RefCall {
  const { pos, kw } = splitArgs(args);
  const strs = pos.filter((p) => p !== undefined && p !== null).map(String);
  if (strs.length === 0 || strs.length > 2) {
    throw new CairnError('JINJA_RENDER', `ref() takes a model name or a package and a model name, got ${strs.length} arguments`, { node: node.name, file: node.originalFilePath });
  }
  const version = (kw.v ?? kw.version) as string | number | undefined;
  return strs.length === 2 ? { package: strs[0], name: strs[1]!, version } : { name: strs[0]!, version };
}

export function lookupVar(ctx: CompileContext, node: ProjectNode | undefined, name: string, args: unknown[]): unknown {
  if (Object.prototype.hasOwnProperty.call(ctx.cliVars, name)) return ctx.cliVars[name];
  const pv = ctx.project.vars;
  const own = node?.packageName ?? ctx.project.name;
  const scoped = pv[own];
  if (scoped && typeof scoped === 'object' && Object.prototype.hasOwnProperty.call(scoped, name)) return (scoped as Record<string, unknown>)[name];
  if (Object.prototype.hasOwnProperty.call(pv, name)) return pv[name];
  // A package node falls back on its package's own dbt_project.yml vars (the root's win, as in dbt).
  if (own !== ctx.project.name && ctx.packages) {
    const pkgVars = ctx.packages.find((p) => p.config.name === own)?.config.vars;
    const ps = pkgVars?.[own];
    if (ps && typeof ps === 'object' && Object.prototype.hasOwnProperty.call(ps, name)) return (ps as Record<string, unknown>)[name];
    if (pkgVars && Object.prototype.hasOwnProperty.call(pkgVars, name)) return pkgVars[name];
  }
  const { pos } = splitArgs(args);
  if (pos.length > 0) return pos[0];
  throw new CairnError('VAR_MISSING', `required var \`${name}\` is not defined`, {
    node: node?.name,
    file: node?.originalFilePath,
    hint: didYouMean(name, [...Object.keys(ctx.cliVars), ...Object.keys(pv)]) ?? `pass it with --vars '{${name}: ...}', add it under \`vars:\` in dbt_project.yml, or give var() a default`,
  });
}

// Template functions that cannot fail, shared by every render.
const ret = (v: unknown) => v;
const fromjson = (s: string, d?: unknown) => { try { return JSON.parse(s); } catch { return d; } };
// dbt's tojson(value, default=None, sort_keys=False) is Python's json.dumps: `, ` and `: ` separators.
const tojson = (v: unknown, ...rest: unknown[]) => {
  const { pos, kw } = splitJinjaArgs(rest);
  return pyJson(v, Boolean(kw.sort_keys ?? pos[1] ?? false));
};
const zip = (...arrs: unknown[][]) => arrs[0]!.map((_x, i) => arrs.map((a) => a[i]));
const set = (v: unknown[]) => [...new Set(v)];

/** Parse renders are run- and target-independent (their output is the state fingerprint): fixed dates. */
const FIXED_DS = '2000-01-01';
const FIXED_TIME = new Date('2000-01-01T00:00:00Z');


export type PlaceholderKind = 'ref' | 'source' | 'this';

/** How a relation renders in parse mode: `"__cairn_ref__"."orders"`, `"__cairn_source__"."raw.events"`. */
export function placeholderText(ctx: CompileContext, kind: PlaceholderKind, name: string): string {
  return ctx.dialect.renderRelation({ schema: `__cairn_${kind}__`, identifier: name });
}

/** What one render's scope knows about its node; everything else is shared by every render. */
interface ScopeState {
  node: ProjectNode;
  /** Parse mode: what the node asks for. */
  capture?: ParseCapture;
  /** Compile mode: how refs, sources and `this` resolve. */
  hooks?: CompileHooks;
  isIncremental: boolean;
}

type NodeScope = RenderScope & { __state: ScopeState; __error?: CairnError };

// A scope is one small object per render whose prototype holds the functions (ref, source, config,
// var, ...), built once per compile context and mode. The functions read the node of the scope that
// is rendering (tenv.current()): on 10,000 models, closures and wrappers rebuilt for every render
// cost ~0.5 s of allocation and garbage collection.
const protos = new WeakMap<CompileContext, { parse: RenderScope; compile: RenderScope }>();

function protosFor(ctx: CompileContext): { parse: RenderScope; compile: RenderScope } {
  let pr = protos.get(ctx);
  if (!pr) protos.set(ctx, (pr = { parse: makeProto(ctx, false), compile: makeProto(ctx, true) }));
  return pr;
}

/** `target` as templates see it: the connection's public keys, never a password or token. */
export function publicTarget(ctx: CompileContext): Record<string, unknown> {
  return publicTargetOf(ctx.target, ctx.project.profile);
}

function makeProto(ctx: CompileContext, execute: boolean): RenderScope {
  const safeTarget = publicTarget(ctx);
  const envVar = makeEnvVar(ctx.envRead, registerSecret);
  const ds = execute ? ctx.ds : FIXED_DS;
  const current = () => ctx.tenv.current() as NodeScope;
  // A CairnError thrown inside a template function is stashed on the scope: nunjucks re-wraps errors,
  // and render.ts reports the stashed one with its code and hint.
  const stashing = <A extends unknown[], R>(fn: (st: ScopeState, ...a: A) => R) => (...a: A): R => {
    const scope = current();
    try {
      return fn(scope.__state, ...a);
    } catch (e) {
      if (isCairnError(e)) scope.__error = e;
      throw e;
    }
  };
  const { warn, ...db } = introspectionFunctions({
    execute,
    dialect: ctx.dialect,
    target: ctx.target,
    current: () => {
      const scope = current();
      const st = scope.__state;
      return { node: st.node.name, file: st.node.originalFilePath, session: st.hooks?.introspection, onLog: st.hooks?.onLog, stash: (e) => { scope.__error = e; } };
    },
  });
  const placeholder = (kind: PlaceholderKind, name: string) => new RelationProxy({ schema: `__cairn_${kind}__`, identifier: name }, placeholderText(ctx, kind, name));
  const cfgOf = (st: ScopeState) => (st.hooks ? st.hooks.config : st.capture!.config);
  const config = stashing((st, ...args: unknown[]) => {
    if (!st.capture) return '';
    const { pos, kw } = splitArgs(args);
    const dict = pos[0] && typeof pos[0] === 'object' ? (pos[0] as Record<string, unknown>) : {};
    const { __keywords: _k, ...rest } = kw;
    st.capture.config = mergeConfig(st.capture.config, { ...dict, ...rest });
    return '';
  }) as ((...a: unknown[]) => string) & { get: (k: string, d?: unknown) => unknown; require: (k: string) => unknown };
  config.get = (key: string, dflt?: unknown) => cfgOf(current().__state)[key] ?? dflt ?? null;
  config.require = (key: string) => cfgOf(current().__state)[key];
  const proto: RenderScope = {
    var: stashing((st, name: string, ...rest: unknown[]) => lookupVar(ctx, st.node, String(name), rest)),
    env_var: stashing((_st, name: string, dflt?: unknown) => envVar(name, dflt)),
    ds,
    ds_nodash: ds.replace(/-/g, ''),
    invocation_id: execute ? ctx.invocationId : '00000000-0000-0000-0000-000000000000',
    project_name: ctx.project.name,
    execute,
    exceptions: {
      raise_compiler_error: stashing((st, msg: string) => {
        throw new CairnError('JINJA_RENDER', String(msg), { node: st.node.name, file: st.node.originalFilePath });
      }),
      warn,
    },
    ...db,
    return: ret,
    fromjson,
    tojson,
    zip,
    set,
    ref: stashing((st, ...args: unknown[]) => {
      const call = refCallOf(args, st.node);
      if (st.hooks) return st.hooks.resolveRef(call);
      st.capture!.refs.push(call);
      return placeholder('ref', call.name);
    }),
    source: stashing((st, s: string, tb: string) => {
      if (st.hooks) return st.hooks.resolveSource(String(s), String(tb));
      st.capture!.sources.push([String(s), String(tb)]);
      return placeholder('source', `${String(s)}.${String(tb)}`);
    }),
    config,
    is_incremental: () => current().__state.isIncremental,
    // dispatch/quote/type (dbt-context.ts) and the introspection methods (get_columns_in_relation, ...).
    adapter: { ...(db.adapter as Record<string, unknown>), ...adapterObject(ctx) },
    api: apiObject(ctx),
    local_md5: localMd5,
    modules,
  };
  // dbt's `builtins`: ref/source/config even where a project macro shadows the name.
  proto.builtins = { ref: proto.ref, source: proto.source, config: proto.config };
  // As in dbt, `graph` is filled once the project is parsed: empty while parsing (`execute` false).
  Object.defineProperty(proto, 'graph', { get: () => (execute ? graphOf(ctx) : emptyGraph()), enumerable: true, configurable: true });
  // Per-render values built on first read, then kept on that render's scope: a template that changes
  // its `target` or `model` must not change the next node's.
  const lazy = (name: string, make: (st: ScopeState) => unknown) => Object.defineProperty(proto, name, {
    enumerable: true,
    configurable: true,
    get(this: NodeScope) {
      const v = make(this.__state);
      Object.defineProperty(this, name, { value: v, writable: true, enumerable: true, configurable: true });
      return v;
    },
    set(this: NodeScope, v: unknown) {
      Object.defineProperty(this, name, { value: v, writable: true, enumerable: true, configurable: true });
    },
  });
  lazy('target', () => ({ ...safeTarget }));
  lazy('flags', () => ({ FULL_REFRESH: ctx.fullRefresh, STORE_FAILURES: false }));
  lazy('run_started_at', () => new PyDateTime(execute ? ctx.runStartedAt : FIXED_TIME));
  lazy('model', ({ node }) => ({ name: node.name, unique_id: node.uniqueId, resource_type: node.resourceType, original_file_path: node.originalFilePath, path: node.path, fqn: node.fqn, config: node.config, tags: node.tags }));
  lazy('this', (st) => (st.hooks ? st.hooks.thisRelation : placeholder('this', st.node.name)));
  if (execute) {
    // The template fast path falls back to nunjucks after a failure: the session rewinds too.
    proto.__snapshot = function (this: NodeScope) {
      return this.__state.hooks?.introspection?.mark();
    };
  } else {
    // For the template fast path: undo what a failed fast render recorded before nunjucks re-renders.
    // Called on the scope before its render starts (so `this`, not the current scope).
    proto.__snapshot = function (this: NodeScope) {
      const capture = this.__state.capture!;
      const [r, s, c] = [capture.refs.length, capture.sources.length, capture.config];
      return () => { capture.refs.length = r; capture.sources.length = s; capture.config = c; };
    };
  }
  return proto;
}

/**
 * Relations render as placeholders (`"__cairn_ref__"."orders"`) in parse mode, so the parse output is
 * the model's SQL with everything target-specific normalized away: `state:modified` compares it.
 */
export function parseScope(ctx: CompileContext, node: ProjectNode, capture: ParseCapture, isIncremental = false): RenderScope {
  const scope = Object.create(protosFor(ctx).parse) as NodeScope;
  scope.__state = { node, capture, isIncremental };
  return scope;
}

export function compileScope(ctx: CompileContext, node: ProjectNode, hooks: CompileHooks): RenderScope {
  const scope = Object.create(protosFor(ctx).compile) as NodeScope;
  scope.__state = { node, hooks, isIncremental: hooks.isIncremental };
  return scope;
}
