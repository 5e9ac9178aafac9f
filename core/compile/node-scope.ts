// The Jinja scope of one node. In `parse` mode `ref()`/`source()`/`config()` only record what the
// node asks for (its dependencies and inline config); in `compile` mode they resolve to relations.
import { CairnError } from '../errors.js';
import { mergeConfig } from '../project/node-config.js';
import type { NodeConfig, ProjectNode, RefCall } from '../project/types.js';
import { PyDateTime } from '../templating/datetime.js';
import type { RenderScope } from '../templating/environment.js';
import { RelationProxy } from '../templating/relation-proxy.js';
import { makeEnvVar, markNoStash, stashErrors } from '../templating/yaml-values.js';
import { didYouMean } from '../util/did-you-mean.js';
import { registerSecret } from '../util/redact.js';
import type { CompileContext } from './context.js';

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
  const scoped = pv[ctx.project.name];
  if (scoped && typeof scoped === 'object' && Object.prototype.hasOwnProperty.call(scoped, name)) return (scoped as Record<string, unknown>)[name];
  if (Object.prototype.hasOwnProperty.call(pv, name)) return pv[name];
  const { pos } = splitArgs(args);
  if (pos.length > 0) return pos[0];
  throw new CairnError('VAR_MISSING', `required var \`${name}\` is not defined`, {
    node: node?.name,
    file: node?.originalFilePath,
    hint: didYouMean(name, [...Object.keys(ctx.cliVars), ...Object.keys(pv)]) ?? `pass it with --vars '{${name}: ...}', add it under \`vars:\` in dbt_project.yml, or give var() a default`,
  });
}

/** Parse renders are run- and target-independent (their output is the state fingerprint): fixed dates. */
const FIXED_DS = '2000-01-01';
const FIXED_TIME = new Date('2000-01-01T00:00:00Z');

const TARGET_KEYS = ['path', 'host', 'software_host', 'cloud_host', 'port', 'user', 'object_storage_source', 'object_storage_path', 'dremio_space', 'dremio_space_folder', 'catalog', 'folder', 'branch'];

// Scope functions that cannot throw a CairnError, so stashErrors need not wrap them; shared by every
// render instead of being rebuilt per node.
const warn = () => '';
const log = () => '';
const print = () => '';
const ret = (v: unknown) => v;
const fromjson = (s: string, d?: unknown) => { try { return JSON.parse(s); } catch { return d; } };
const tojson = (v: unknown) => JSON.stringify(v);
const zip = (...arrs: unknown[][]) => arrs[0]!.map((_x, i) => arrs.map((a) => a[i]));
const set = (v: unknown[]) => [...new Set(v)];
for (const f of [log, print, ret, fromjson, tojson, zip, set]) markNoStash(f);

/** What every scope of one invocation shares: computed once per compile context, not per node. */
interface SharedScope {
  safeTarget: Record<string, unknown>;
  envVar: ReturnType<typeof makeEnvVar>;
}
const shared = new WeakMap<CompileContext, SharedScope>();

function sharedScope(ctx: CompileContext): SharedScope {
  let s = shared.get(ctx);
  // The target and envRead are read when the scope is first built; a context copied with other ones
  // (e.g. state fingerprints) is another key.
  if (!s) {
    const t = ctx.target;
    const safeTarget: Record<string, unknown> = { name: t.name, type: t.type, schema: t.schema, database: t.database, threads: t.threads, profile_name: ctx.project.profile };
    for (const k of TARGET_KEYS) if (t[k] !== undefined) safeTarget[k] = t[k];
    s = { safeTarget, envVar: makeEnvVar(ctx.envRead, registerSecret) };
    shared.set(ctx, s);
  }
  return s;
}

function baseScope(ctx: CompileContext, node: ProjectNode, execute: boolean): RenderScope {
  const ds = execute ? ctx.ds : FIXED_DS;
  const sh = sharedScope(ctx);
  return {
    var: (name: string, ...rest: unknown[]) => lookupVar(ctx, node, String(name), rest),
    env_var: sh.envVar,
    // A copy per node: a template that changes its `target` must not change the next node's.
    target: { ...sh.safeTarget },
    ds,
    ds_nodash: ds.replace(/-/g, ''),
    run_started_at: new PyDateTime(execute ? ctx.runStartedAt : FIXED_TIME),
    invocation_id: execute ? ctx.invocationId : '00000000-0000-0000-0000-000000000000',
    project_name: ctx.project.name,
    execute,
    flags: { FULL_REFRESH: ctx.fullRefresh },
    model: { name: node.name, unique_id: node.uniqueId, resource_type: node.resourceType, original_file_path: node.originalFilePath, path: node.path, fqn: node.fqn, config: node.config, tags: node.tags },
    exceptions: {
      raise_compiler_error: (msg: string) => {
        throw new CairnError('JINJA_RENDER', String(msg), { node: node.name, file: node.originalFilePath });
      },
      warn,
    },
    log,
    print,
    return: ret,
    fromjson,
    tojson,
    zip,
    set,
  };
}

function configFn(onKwargs: (kw: Record<string, unknown>) => void, getCfg: () => NodeConfig) {
  const fn = (...args: unknown[]) => {
    const { pos, kw } = splitArgs(args);
    const dict = pos[0] && typeof pos[0] === 'object' ? (pos[0] as Record<string, unknown>) : {};
    const { __keywords: _k, ...rest } = kw;
    onKwargs({ ...dict, ...rest });
    return '';
  };
  fn.get = (key: string, dflt?: unknown) => getCfg()[key] ?? dflt ?? null;
  fn.require = (key: string) => getCfg()[key];
  return fn;
}

/**
 * Relations render as placeholders (`"__cairn_ref__"."orders"`) in parse mode, so the parse output is
 * the model's SQL with everything target-specific normalized away: `state:modified` compares it.
 */
export function parseScope(ctx: CompileContext, node: ProjectNode, capture: ParseCapture, isIncremental = false): RenderScope {
  const placeholder = (kind: string, name: string) => new RelationProxy({ schema: `__cairn_${kind}__`, identifier: name }, ctx.dialect.renderRelation({ schema: `__cairn_${kind}__`, identifier: name }));
  const proxy = (name: string) => placeholder('ref', name);
  return stashErrors({
    ...baseScope(ctx, node, false),
    ref: (...args: unknown[]) => {
      const call = refCallOf(args, node);
      capture.refs.push(call);
      return proxy(call.name);
    },
    source: (s: string, t: string) => {
      capture.sources.push([String(s), String(t)]);
      return placeholder('source', `${String(s)}.${String(t)}`);
    },
    config: configFn((kw) => { capture.config = mergeConfig(capture.config, kw); }, () => capture.config),
    is_incremental: () => isIncremental,
    this: placeholder('this', node.name),
    // For the template fast path: undo what a failed fast render recorded before nunjucks re-renders.
    __snapshot: () => {
      const [r, s, c] = [capture.refs.length, capture.sources.length, capture.config];
      return () => { capture.refs.length = r; capture.sources.length = s; capture.config = c; };
    },
  });
}

export function compileScope(ctx: CompileContext, node: ProjectNode, hooks: CompileHooks): RenderScope {
  return stashErrors({
    ...baseScope(ctx, node, true),
    ref: (...args: unknown[]) => hooks.resolveRef(refCallOf(args, node)),
    source: (s: string, t: string) => hooks.resolveSource(String(s), String(t)),
    config: configFn(() => undefined, () => hooks.config),
    is_incremental: () => hooks.isIncremental,
    this: hooks.thisRelation,
  });
}
