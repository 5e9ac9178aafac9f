// `cairn compile`: render every selected node to SQL under target/compiled and write the manifest.
import { join } from 'node:path';
import { writeManifest } from '../artifacts/manifest.js';
import { FileWriter } from '../artifacts/file-writer.js';
import { compiledPath, nodeArtifactPath, targetDir } from '../artifacts/paths.js';
import { compileNode, compileNodeWithDatabase, type CompiledNode } from '../compile/compile-node.js';
import { lazyDatabase, logAsEvent } from '../compile/introspect.js';
import { checkReflectionNode } from '../compile/reflection-check.js';
import { NeedsDatabase, type RenderLog } from '../templating/introspection/session.js';
import type { ProjectNode } from '../project/types.js';
import type { ParsedProject } from '../compile/parse-project.js';
import { CairnError, CairnErrors, addError } from '../errors.js';
import { subgraphOrder } from '../graph/dag.js';
import { redact } from '../util/redact.js';
import type { CommonOptions } from './options.js';
import { loadAndParse, select } from './project.js';
import { deferredRelations, requireStateForDefer } from '../state/defer.js';
import { loadState } from '../state/load-state.js';
import type { Relation } from '../../adapters/adapter.js';
import { compileInline } from '../compile/inline.js';

export interface CompileResult {
  project: ParsedProject;
  compiled: Map<string, string>;
  /** Selected node ids in DAG order. */
  order: string[];
}

/** `compile --inline "select ..."`: the SQL rendered in the root project's scope; nothing is written. */
export function compileInlineSql(o: CommonOptions, sql: string): string {
  return compileInline(loadAndParse(o), sql);
}

const COMPILABLE = new Set(['model', 'test', 'snapshot', 'analysis', 'operation']);

export async function compile(o: CommonOptions & { connect?: boolean; defer?: boolean; favorState?: boolean }): Promise<CompileResult> {
  requireStateForDefer(o.defer, o.state, o.favorState);
  const p = loadAndParse(o, { deferSnapshot: true });
  const selected = select(p, o);
  // Compiled in the selection's (stable) order: compiling has no order to respect, and putting
  // 14,000 nodes in DAG order cost ~40 ms. The result's `order` (DAG order, which `--inline`
  // prints in) is made when asked for.
  const ids = [...selected].filter((id) => COMPILABLE.has(p.nodes.get(id)!.resourceType) && p.templates.has(id));
  // is_incremental() is true where the incremental table exists, as at run time; ask the engine only
  // when there is an incremental model to answer for.
  const incrementalIds = ids.filter((id) => p.nodes.get(id)!.config.materialized === 'incremental');
  const existing = new Set<string>();
  let deferred = new Map<string, Relation>();
  const adapter = o.connect !== false && ((incrementalIds.length && !o.fullRefresh) || (o.defer && o.state)) ? o.adapters.connect(p.ctx.target, { projectDir: p.ctx.projectDir }) : undefined;
  // An engine that holds no relation yet (a project never run) cannot have incremental tables:
  // loading DuckDB to learn that cost ~0.3-0.6 s.
  const askKinds = !!adapter && incrementalIds.length > 0 && !o.fullRefresh && adapter.relationsMayExist?.() !== false;
  if (adapter && (askKinds || (o.defer && o.state))) {
    try {
      await adapter.open();
      if (askKinds) {
        const rels = incrementalIds.map((id) => p.nodes.get(id)!.relation!);
        let kinds: Array<string | null> = [];
        if (adapter.getRelationKinds) kinds = await adapter.getRelationKinds(rels);
        else for (const r of rels) kinds.push(await adapter.getRelationKind(r));
        incrementalIds.forEach((id, i) => { if (kinds[i] === 'table') existing.add(id); });
      }
      if (o.defer && o.state) deferred = await deferredRelations(p, adapter, loadState(o.state, p.ctx.projectDir), new Set(ids), o.favorState);
    } finally {
      await adapter.close();
    }
  }
  const memo = new Map<string, CompiledNode>();
  const compiled = new Map<string, string>();
  const errors: CairnError[] = [];
  const tdir = targetDir(p.ctx.projectDir, p.ctx.project.targetPath);
  const writer = new FileWriter(ids.length, join(tdir, 'compiled'));
  const introspecting: string[] = [];
  const onLog = logAsEvent(o.onEvent);
  // What a node logs is shown once it compiled: an attempt that stops to read the database logs again.
  const held: RenderLog[] = [];
  const hold = (l: RenderLog) => held.push(l);
  const optsFor = (id: string) => ({ isIncremental: existing.has(id), relationOverride: (n: ProjectNode) => deferred.get(n.uniqueId), onLog: hold });
  const done = (id: string, sql: string) => {
    const node = p.nodes.get(id)!;
    if (node.config.materialized === 'reflection') checkReflectionNode(p, node);
    compiled.set(id, sql);
    writer.write(compiledPath(tdir, p.ctx.project.name, nodeArtifactPath(node)), redact(sql));
  };
  for (const id of ids) {
    held.length = 0;
    try {
      done(id, compileNode(p, p.nodes.get(id)!, optsFor(id), memo).sql);
      for (const l of held) onLog(l);
    } catch (e) {
      // A node that reads the database (run_query, adapter.get_columns_in_relation, ...) compiles
      // below, with the engine, even with `connect: false` (which spares only the incremental
      // checks): without it its SQL cannot be known. The others never wait for it.
      if (e instanceof NeedsDatabase) introspecting.push(id);
      else addError(errors, e);
    }
  }
  if (introspecting.length) {
    const db = lazyDatabase(() => o.adapters.connect(p.ctx.target, { projectDir: p.ctx.projectDir }), onLog);
    try {
      for (const id of introspecting) {
        try {
          done(id, (await compileNodeWithDatabase(p, p.nodes.get(id)!, optsFor(id), db, memo)).sql);
        } catch (e) {
          addError(errors, e);
        }
      }
    } finally {
      await db.close();
    }
  }
  // The manifest and the parse snapshot are written while the worker is still writing compiled files.
  writeManifest(join(tdir, 'manifest.json'), p, { compiled });
  p.writeSnapshot?.();
  await writer.close();
  if (errors.length) throw errors.length === 1 ? errors[0]! : new CairnErrors(errors);
  let order: string[] | undefined;
  return { project: p, compiled, get order() { return (order ??= ids.length > 1 ? subgraphOrder(p.dag, ids) : ids); } };
}
