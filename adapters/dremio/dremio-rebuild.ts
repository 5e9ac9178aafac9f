// A table rebuild on Dremio never leaves the table dropped (issue 24 item 2). Without RENAME, the
// copy path is: CTAS `<t>__cairn_tmp` (the model's work, cancellable), then DROP `<t>` and CTAS `<t>`
// from the tmp table. Between that DROP and the end of the copy back the table is missing, so:
// - that stretch is never cancelled, neither by query_timeout nor by Ctrl-C / fail-fast: it runs to
//   its end (`copyBackRange` finds it in a node's statements);
// - before the DROP, the rebuild is written to a journal on disk and removed once the copy back is
//   done, so a run killed in between (second Ctrl-C, kill -9, crash) is repaired by the next run
//   before anything else: the table is restored from `__cairn_tmp` and leftovers are removed.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const TMP_SUFFIX = '__cairn_tmp';

/** `"a"."b"."t"` -> `"a"."b"."t__cairn_tmp"` (the dialect's scratchRelation, rendered). */
export const renderedTmp = (rendered: string): string => `${rendered.slice(0, -1)}${TMP_SUFFIX}"`;

/**
 * Indexes [drop, copy] of `DROP TABLE <t>` directly followed by `CREATE TABLE <t> ... FROM <t>__cairn_tmp`,
 * and the rendered target, when the statements hold a tmp-then-copy rebuild.
 */
export function copyBackRange(statements: readonly string[]): { drop: number; copy: number; target: string } | undefined {
  for (let i = 0; i + 1 < statements.length; i++) {
    const m = /^DROP TABLE ((?:"(?:[^"]|"")*"\.?)+)\s*$/.exec(statements[i]!.trim());
    if (!m) continue;
    const t = m[1]!;
    const next = statements[i + 1]!.trimStart();
    if (next.startsWith(`CREATE TABLE ${t}`) && next.includes(`FROM ${renderedTmp(t)}`)) return { drop: i, copy: i + 1, target: t };
  }
  return undefined;
}

export interface JournalEntry {
  /** Rendered relations, as the dialect writes them. */
  target: string;
  tmp: string;
  /** The copy-back statement (CTAS with the model's layout), replayed by the recovery. */
  copy?: string;
  /** The model, for messages. */
  node?: string;
  startedAt: string;
}

/** Rebuilds between DROP and the end of the copy back, kept on disk (one small JSON file). */
export class RebuildJournal {
  constructor(readonly file: string) {}

  read(): JournalEntry[] {
    try {
      const v = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      return Array.isArray(v) ? (v as JournalEntry[]).filter((e) => typeof e?.target === 'string' && typeof e?.tmp === 'string') : [];
    } catch {
      return [];
    }
  }

  add(e: JournalEntry): void {
    this.write([...this.read().filter((x) => x.target !== e.target), e]);
  }

  remove(target: string): void {
    const all = this.read();
    const left = all.filter((x) => x.target !== target);
    if (left.length !== all.length) this.write(left);
  }

  private write(entries: JournalEntry[]): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(entries, null, 2));
    renameSync(tmp, this.file);
  }
}

/** Where the data of an interrupted rebuild is, in words a user can act on. */
export function whereTheDataIs(target: string, tmp: string): string {
  return `${target} was dropped and its new data is in ${tmp}; the next cairn run restores ${target} from it before anything else ` +
    `(by hand: CREATE TABLE ${target} AS SELECT * FROM ${tmp}; DROP TABLE ${tmp})`;
}

/** `"a"."b.c"."t"` -> ['a', 'b.c', 't']. */
export function parseRendered(rendered: string): string[] {
  return [...rendered.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replace(/""/g, '"'));
}
