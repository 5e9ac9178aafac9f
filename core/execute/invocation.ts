// An invocation (`run`, `build`, `seed`, `test`): select nodes, schedule them over the adapter with
// failure isolation, and write run_results.json and manifest.json.
import type { Adapter } from '../../adapters/adapter.js';
import { writeManifest } from '../artifacts/manifest.js';
import { targetDir as resolveTargetDir, writeFileAtomic } from '../artifacts/paths.js';
import { buildRunResults, type InvocationArgs, type NodeResult } from '../artifacts/run-results.js';
import { RunProgress } from '../artifacts/run-progress.js';
import type { CompileOptions } from '../compile/compile-node.js';
import { logAsEvent } from '../compile/introspect.js';
import type { ParsedProject } from '../compile/parse-project.js';
import { topoOrder } from '../graph/dag.js';
import type { ResourceType } from '../project/types.js';
import { countResults, type RunEvent } from './events.js';
import { nodeLabel } from './node-label.js';
import { runNode } from './run-node.js';
import { retryPolicy, withRetries } from './retry.js';
import { runScheduled } from './scheduler.js';
import { join } from 'node:path';
import { addTestEdges, testsAfterParents, unitTestsBeforeModels } from '../tests/schedule.js';
import { BuildLedger } from '../ledger/build-ledger.js';
import { ChangedOnly } from '../ledger/changed-only.js';
import { EngineLedger, engineLedgerTable } from '../ledger/engine-ledger.js';

/** A node --changed-only did not build: its relation stands as the last build left it. */
function reusedResult(id: string, status: 'success' | 'pass', reason: string, threadId: string): NodeResult {
  const now = new Date().toISOString();
  return {
    uniqueId: id, status, message: `reused: ${reason}`, failures: status === 'pass' ? 0 : null, timing: [{ name: 'execute', started_at: now, completed_at: now }],
    executionTime: 0, threadId, adapterResponse: {}, reused: true,
  };
}

export interface InvocationOptions {
  args: InvocationArgs;
  /** Node ids chosen by selection. */
  selected: ReadonlySet<string>;
  resourceTypes: readonly ResourceType[];
  threads: number;
  fullRefresh: boolean;
  failFast?: boolean;
  signal?: AbortSignal;
  onEvent?: (e: RunEvent) => void;
  compileOptions?: Omit<CompileOptions, 'isIncremental'>;
  /** Where artifacts go (default: the project's target-path); schedules use target/runs/<run_id>. */
  artifactsDir?: string;
  /** Waits until a node may run and returns its release (a backfill keeps one day at a time per node). */
  gate?: (id: string) => Promise<() => void>;
  /** `--changed-only`: reuse nodes whose code and inputs are what the build ledger recorded. */
  changedOnly?: boolean;
  /** Leave the build ledger unsaved and return `saveLedger` (`--wap`: only a merged run's builds count). */
  deferLedgerSave?: boolean;
}

export interface InvocationResult {
  results: NodeResult[];
  elapsed: number;
  success: boolean;
  /** With `deferLedgerSave`: writes what this run built to the build ledger. */
  saveLedger?: () => Promise<void>;
}

export async function runInvocation(p: ParsedProject, adapter: Adapter, o: InvocationOptions): Promise<InvocationResult> {
  const t0 = Date.now();
  const emit = o.onEvent ?? (() => undefined);
  const types = new Set(o.resourceTypes);
  const topo = testsAfterParents(p, topoOrder(p.dag).filter((id) => o.selected.has(id) && types.has(p.nodes.get(id)!.resourceType)));
  const inRun = new Set(topo);
  const parents = new Map<string, string[]>();
  for (const id of topo) parents.set(id, p.nodes.get(id)!.dependsOn.nodes.filter((d) => inRun.has(d)));
  addTestEdges(p, topo, parents);
  const order = unitTestsBeforeModels(p, topo, parents);
  const tdir = o.artifactsDir ?? resolveTargetDir(p.ctx.projectDir, p.ctx.project.targetPath);
  const controller = new AbortController();
  o.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  let index = 0;
  let stop = false;
  const freeSlots = Array.from({ length: o.threads }, (_x, i) => o.threads - i);
  const compiled = new Map<string, string>();
  // Bad retry settings are project errors: report them before anything runs.
  const policies = new Map(order.map((id) => [id, retryPolicy(p.nodes.get(id)!, p.ctx.project.raw)]));
  // `build_ledger: {store: engine}`: the ledger is kept in a table of the engine too (a fresh checkout finds it there).
  const ledgerTable = engineLedgerTable(p.ctx.project);
  const engineLedger = ledgerTable ? new EngineLedger(p, adapter, ledgerTable, (message) => emit({ type: 'warning', message })) : undefined;
  // What an interrupted earlier run left (a table dropped mid-rebuild) is repaired before anything runs.
  for (const message of (await adapter.recoverInterrupted?.()) ?? []) emit({ type: 'warning', message });
  const progress = new RunProgress(tdir);
  progress.start(order, p.ctx.invocationId, o.args);
  // Every run keeps the build ledger (in the project's target folder, also for schedules and backfill
  // days); only --changed-only reuses from it. An --empty run builds zero-row relations and a --defer
  // run builds from another target's relations, neither of which the ledger's fingerprints describe:
  // they reuse nothing and forget what they build, so no later run reuses it.
  const ledger = BuildLedger.open(resolveTargetDir(p.ctx.projectDir, p.ctx.project.targetPath), p.ctx.target.name);
  const untracked = o.compileOptions?.empty ? '--empty' : o.compileOptions?.relationOverride ? '--defer' : undefined;
  if (untracked && o.changedOnly) emit({ type: 'warning', message: `--changed-only is ignored with ${untracked}: every selected node is built, and none is recorded as built` });
  await engineLedger?.load(ledger);
  const changed = untracked ? undefined : new ChangedOnly(p, adapter, ledger, o.fullRefresh, o.changedOnly === true, order);
  emit({ type: 'run_start', total: order.length, invocationId: p.ctx.invocationId, target: p.ctx.target.name, ds: p.ctx.ds });

  const results = await runScheduled<NodeResult>({
    order,
    parents,
    concurrency: o.threads,
    shouldStop: () => stop || controller.signal.aborted,
    skip: (id, cause) => {
      const r: NodeResult = {
        uniqueId: id, status: 'skipped', failures: null, timing: [], executionTime: 0, threadId: 'main', adapterResponse: {},
        message: cause === 'run stopped' ? 'skipped: the run was stopped' : `skipped because ${p.nodes.get(cause)?.name ?? cause} failed`,
      };
      const n = p.nodes.get(id)!;
      progress.nodeEnded(r);
      emit({ type: 'node_end', index: ++index, total: order.length, uniqueId: id, label: nodeLabel(n, p.ctx.dialect), result: r });
      return r;
    },
    run: async (id) => {
      const node = p.nodes.get(id)!;
      const slot = freeSlots.pop() ?? 0;
      const my = ++index;
      const label = nodeLabel(node, p.ctx.dialect);
      emit({ type: 'node_start', index: my, total: order.length, uniqueId: id, label, attempt: 1 });
      const decision = await changed?.decide(node);
      if (decision?.reuse) {
        freeSlots.push(slot);
        const isTest = node.resourceType === 'test' || node.resourceType === 'unit_test';
        const r = reusedResult(id, isTest ? 'pass' : 'success', decision.reason, `Thread-${slot}`);
        progress.nodeEnded(r);
        emit({ type: 'node_end', index: my, total: order.length, uniqueId: id, label, result: r });
        return r;
      }
      const release = o.gate ? await o.gate(id) : () => undefined;
      const { value: r, attempts } = await withRetries({
        policy: policies.get(id)!,
        adapter,
        signal: controller.signal,
        attempt: async () => {
          const a = await runNode({ p, adapter, node, targetDir: tdir, signal: controller.signal, fullRefresh: o.fullRefresh, threadId: `Thread-${slot}`, compileOptions: o.compileOptions, onLog: logAsEvent(emit) });
          return { ...a, message: a.result.message };
        },
        onRetry: (attempt, delayMs, error) => emit({ type: 'node_retry', uniqueId: id, attempt, delayMs, error }),
      });
      release();
      r.result.attempts = attempts;
      if (changed && decision) {
        if (r.result.status === 'success' || r.result.status === 'pass') changed.built(node, decision, p.ctx.invocationId);
        else changed.failed(node, p.ctx.invocationId);
      } else if (!changed) ledger.forget(id);
      freeSlots.push(slot);
      if (r.compiledSql !== undefined) compiled.set(id, r.compiledSql);
      if (r.result.compiledCode !== undefined && r.compiledFile) r.result.compiledCode = r.compiledSql;
      progress.nodeEnded(r.result);
      emit({ type: 'node_end', index: my, total: order.length, uniqueId: id, label, result: r.result, compiledPath: r.compiledFile });
      if (o.failFast && (r.result.status === 'error' || r.result.status === 'fail')) {
        stop = true;
        // Abort first: a node between statements must not start its next one after the cancel.
        controller.abort();
        await adapter.cancelAll();
      }
      return r.result;
    },
  });
  const list = order.map((id) => results.get(id)!);
  const saveLedger = async () => {
    await (changed ? changed.save() : ledger.save());
    await engineLedger?.save(ledger);
  };
  if (!o.deferLedgerSave) await saveLedger();
  const elapsed = (Date.now() - t0) / 1000;
  writeFileAtomic(join(tdir, 'run_results.json'), JSON.stringify(buildRunResults(list, p.ctx.invocationId, elapsed, o.args), null, 2));
  progress.finish();
  writeManifest(join(tdir, 'manifest.json'), p, { compiled });
  const counts = countResults(list);
  emit({ type: 'run_end', results: list, elapsed, counts });
  return { results: list, elapsed, success: counts.error === 0, ...(o.deferLedgerSave ? { saveLedger } : {}) };
}
