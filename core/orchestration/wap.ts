// Write-audit-publish (`cairn build --wap`) on engines with branches (a versioned catalog such as
// Nessie): build and test everything on a run branch made from the target branch, and publish (merge,
// then drop the run branch) only when every node passed. On any failure the target branch is untouched
// and the run branch is kept, named in the output, for inspection.
import type { Adapter, Target } from '../../adapters/adapter.js';
import { CairnError } from '../errors.js';
import type { RunEvent } from '../execute/events.js';

export interface WapBranch {
  /** The run branch: `cairn_run_<invocation id>`. */
  name: string;
  /** The branch published into (the target's `branch:` or the catalog's default). */
  base: string;
}

type BranchAdapter = Adapter & Required<Pick<Adapter, 'baseBranch' | 'createBranch' | 'useBranch' | 'mergeBranch' | 'dropBranch'>>;

/** Run branch name; Nessie reference names allow letters, digits and `_`. */
export const wapBranchName = (invocationId: string): string => `cairn_run_${invocationId.replace(/[^A-Za-z0-9_]/g, '_')}`;

/** `--wap` needs the `branches` capability; a usage error (exit 2) before anything runs. */
export function requireBranches(adapter: Adapter, target: Target): asserts adapter is BranchAdapter {
  const a = adapter as Partial<BranchAdapter>;
  if (adapter.capabilities.branches && a.baseBranch && a.createBranch && a.useBranch && a.mergeBranch && a.dropBranch) return;
  throw new CairnError('USAGE', `--wap needs a target whose engine has branches; target \`${target.name}\` (${adapter.type}) has none`, {
    hint: adapter.type === 'dremio'
      ? 'set `catalog:` (a versioned Nessie / Arctic catalog) on the Dremio target, or build without --wap'
      : 'write-audit-publish works on Dremio targets with a versioned (Nessie) `catalog:`; build without --wap here',
  });
}

/**
 * Runs `build` on a fresh run branch and publishes it when `build` reports success. `build` must not
 * throw for node failures (they are results); if it throws, the branch is kept and named, then the error
 * goes on.
 */
export async function withWapBranch<R extends { success: boolean }>(
  adapter: Adapter, target: Target, invocationId: string, emit: (e: RunEvent) => void, signal: AbortSignal | undefined,
  build: (branch: WapBranch) => Promise<R>,
): Promise<R> {
  requireBranches(adapter, target);
  const branch: WapBranch = { name: wapBranchName(invocationId), base: adapter.baseBranch() };
  await adapter.createBranch(branch.name, branch.base);
  emit({ type: 'info', message: `write-audit-publish: building on branch ${branch.name} (from ${branch.base})` });
  adapter.useBranch(branch.name);
  let r: R;
  try {
    r = await build(branch);
  } catch (e) {
    emit({ type: 'warning', message: keptMessage(branch, 'the build stopped with an error') });
    throw e;
  } finally {
    adapter.useBranch(undefined);
  }
  if (!r.success || signal?.aborted) {
    emit({ type: 'warning', message: keptMessage(branch, signal?.aborted ? 'the run was interrupted' : 'a node failed') });
    return r;
  }
  try {
    await adapter.mergeBranch(branch.name, branch.base);
  } catch (e) {
    emit({ type: 'warning', message: keptMessage(branch, 'the merge failed') });
    throw e;
  }
  emit({ type: 'info', message: `write-audit-publish: merged ${branch.name} into ${branch.base}` });
  // Work that needs the published tables (Dremio reflections): a failure fails the run, but the
  // merge stands and the run branch is still dropped.
  let deferredFailed = false;
  for (const d of (await adapter.publishDeferred?.()) ?? []) {
    emit({ type: d.ok ? 'info' : 'warning', message: `write-audit-publish: ${d.name}: ${d.message}` });
    if (!d.ok) deferredFailed = true;
  }
  try {
    await adapter.dropBranch(branch.name);
  } catch (e) {
    // Published already: a leftover branch is untidy, not a failed run.
    emit({ type: 'warning', message: `write-audit-publish: ${branch.name} was merged but could not be dropped: ${String((e as Error)?.message ?? e)}` });
  }
  return deferredFailed ? { ...r, success: false } : r;
}

const keptMessage = (b: WapBranch, why: string): string =>
  `write-audit-publish: ${why}, so nothing was merged into ${b.base}; branch ${b.name} is kept for inspection ` +
  `(query it with AT BRANCH "${b.name}", drop it with DROP BRANCH "${b.name}" FORCE)`;
