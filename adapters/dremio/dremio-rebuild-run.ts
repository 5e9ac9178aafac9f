// Running the protected half of a Dremio table rebuild, and repairing an interrupted one on the next
// run (rules in dremio-rebuild.ts).
import type { ExecResult } from '../adapter.js';
import type { DremioAdapter } from './dremio-adapter.js';
import { DremioError } from './dremio-errors.js';
import { parseRendered, type RebuildJournal, whereTheDataIs } from './dremio-rebuild.js';

export interface CopyBack {
  target: string;
  tmp: string;
  node?: string;
  signal?: AbortSignal;
}

/** `tail` = [DROP target, CTAS target FROM tmp, ...cleanup]; nothing here is cancelled once started. */
export async function runCopyBack(a: DremioAdapter, tail: readonly string[], o: CopyBack): Promise<ExecResult> {
  const [drop, copy, ...cleanup] = tail as [string, string, ...string[]];
  if (o.signal?.aborted) {
    throw new DremioError('SQL_ERROR', `interrupted before ${o.target} was replaced: it still holds its previous data (the unused new data in ${o.tmp} is removed by the next run)`, false);
  }
  a.journal?.add({ target: o.target, tmp: o.tmp, copy, ...(o.node ? { node: o.node } : {}), startedAt: new Date().toISOString() });
  // Killed anyway (a second Ctrl-C exits at once): the last thing printed says where the data is.
  const onExit = () => {
    process.stderr.write(`\ncairn stopped during the copy back of ${o.target}: unless Dremio finishes that job, ${whereTheDataIs(o.target, o.tmp)}\n`);
  };
  process.once('exit', onExit);
  try {
    return await protectedSwap(a, o, drop, copy, cleanup);
  } finally {
    process.off('exit', onExit);
  }
}

async function protectedSwap(a: DremioAdapter, o: CopyBack, drop: string, copy: string, cleanup: readonly string[]): Promise<ExecResult> {
  try {
    await a.executeProtected(drop);
  } catch (e) {
    // Not dropped: the table is intact; the tmp table is dropped first thing by the next rebuild.
    a.journal?.remove(o.target);
    throw e;
  }
  let r: ExecResult;
  try {
    r = await a.executeProtected(copy);
  } catch (e) {
    // A CTAS commits atomically: if the table is there, the copy back finished (only its reply was lost).
    if ((await a.catalogApi.kind(parseRendered(o.target)).catch(() => null)) === 'table') {
      a.journal?.remove(o.target);
      for (const s of cleanup) await a.executeProtected(s).catch(() => undefined);
      return {};
    }
    const err = e as DremioError;
    throw new DremioError(err.code ?? 'SQL_ERROR', `copying the new data back into ${o.target} failed: ${err.message}. ${whereTheDataIs(o.target, o.tmp)}`, false, { cause: e, ...(err.hint ? { hint: err.hint } : {}) });
  }
  a.journal?.remove(o.target);
  // The table is complete; a tmp table left by a failed cleanup is dropped by the next rebuild.
  for (const s of cleanup) await a.executeProtected(s).catch(() => undefined);
  return r;
}

/** Before a run: restore every table an interrupted rebuild left dropped, and remove leftovers. */
export async function recoverRebuilds(a: DremioAdapter, journal: RebuildJournal): Promise<string[]> {
  const out: string[] = [];
  for (const e of journal.read()) {
    const target = await a.catalogApi.kind(parseRendered(e.target));
    const tmp = await a.catalogApi.kind(parseRendered(e.tmp));
    const what = `a rebuild of ${e.node ?? e.target} interrupted at ${e.startedAt}`;
    if (target === null && tmp === 'table') {
      await a.executeProtected(e.copy ?? `CREATE TABLE ${e.target} AS (SELECT * FROM ${e.tmp})`);
      await a.executeProtected(`DROP TABLE IF EXISTS ${e.tmp}`);
      out.push(`restored ${e.target} from ${e.tmp} (${what})`);
    } else if (tmp === 'table') {
      await a.executeProtected(`DROP TABLE IF EXISTS ${e.tmp}`);
      out.push(`removed ${e.tmp}, left by ${what} (${e.target} is complete)`);
    } else if (target === null) {
      out.push(`${e.target} is missing and ${e.tmp} is gone (${what}): rebuild it with cairn run -s ${e.node?.split('.').pop() ?? '<model>'}`);
    }
    journal.remove(e.target);
  }
  return out;
}
