// The build ledger (`target/build_ledger.json`): per target and node, what produced the relation it
// built last (the fingerprint of its rendered SQL and config) and the data version of every input
// at that time. `--changed-only` reuses a node whose fingerprint and inputs are what the ledger says.
// Only successful builds are recorded; a failure removes the node's entry. Written whole and
// atomically (rename) at the end of a run, under the target's run lock and a short lock on the file
// itself (other targets' runs share the file).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../artifacts/paths.js';
import { withFileLock } from './ledger-lock.js';

export const LEDGER_FILE = 'build_ledger.json';
const FORMAT = 1;

export interface LedgerEntry {
  /** sha256 of what the node's build ran: its rendered SQL (or seed file) and resolved config. */
  fingerprint: string;
  /** Data version of each input at build time (parent node id or source id → version). */
  inputs: Record<string, string>;
  /** This node's data version: changes each time it is built. */
  version: string;
  builtAt: string;
  /** The engine's own version of the relation right after this build (Dremio: its Iceberg snapshot id). */
  engineVersion?: string;
}

interface LedgerFile {
  format: number;
  targets: Record<string, Record<string, LedgerEntry>>;
}

export class BuildLedger {
  private readonly changed = new Map<string, LedgerEntry | null>();
  /** Entries taken from the engine-stored ledger (newer there, or missing here): written to the file too. */
  private readonly adopted = new Map<string, LedgerEntry>();

  private constructor(private readonly path: string, private readonly target: string, private readonly entries: Record<string, LedgerEntry>) {}

  static open(targetDir: string, target: string): BuildLedger {
    const path = join(targetDir, LEDGER_FILE);
    return new BuildLedger(path, target, readLedger(path).targets[target] ?? {});
  }

  get(id: string): LedgerEntry | undefined {
    const c = this.changed.get(id);
    return c === null ? undefined : c ?? this.entries[id];
  }

  /** Ids this run recorded as built. */
  recorded(): string[] {
    return [...this.changed].filter(([, e]) => e !== null).map(([id]) => id);
  }

  record(id: string, entry: LedgerEntry): void {
    this.changed.set(id, entry);
  }

  forget(id: string): void {
    this.changed.set(id, null);
  }

  /** This run's changes (null: entry removed), for the engine-stored ledger. */
  changes(): ReadonlyMap<string, LedgerEntry | null> {
    return this.changed;
  }

  /**
   * Merges the engine-stored ledger's entries (`build_ledger: {store: engine}`): an entry missing here
   * (a fresh checkout) or older here (built elsewhere since) is taken from the engine. Returns the ids
   * the engine lacks or holds older, so the end of the run writes them there.
   */
  adopt(remote: Record<string, LedgerEntry>): string[] {
    const stale: string[] = [];
    for (const [id, r] of Object.entries(remote)) {
      const mine = this.entries[id];
      if (!mine || builtAt(mine) < builtAt(r)) {
        this.entries[id] = r;
        this.adopted.set(id, r);
      } else if (builtAt(mine) > builtAt(r) || mine.version !== r.version) stale.push(id);
    }
    for (const id of Object.keys(this.entries)) if (!(id in remote)) stale.push(id);
    return stale;
  }

  /** Merges this run's changes into the file as it is now (other targets' entries are kept). */
  save(): void {
    if (!this.changed.size && !this.adopted.size) return;
    withFileLock(this.path, () => {
      const file = readLedger(this.path);
      const mine = { ...(file.targets[this.target] ?? {}) };
      for (const [id, e] of this.adopted) if (!mine[id] || builtAt(mine[id]) < builtAt(e)) mine[id] = e;
      for (const [id, e] of this.changed) {
        if (e === null) delete mine[id];
        else mine[id] = e;
      }
      file.targets[this.target] = mine;
      writeFileAtomic(this.path, JSON.stringify(file));
    });
  }
}

const builtAt = (e: LedgerEntry): number => Date.parse(e.builtAt) || 0;

function readLedger(path: string): LedgerFile {
  if (!existsSync(path)) return { format: FORMAT, targets: {} };
  try {
    const f = JSON.parse(readFileSync(path, 'utf8')) as LedgerFile;
    // Another format, or not ours: start afresh (everything rebuilds once), never guess.
    return f && f.format === FORMAT && f.targets && typeof f.targets === 'object' ? f : { format: FORMAT, targets: {} };
  } catch {
    return { format: FORMAT, targets: {} };
  }
}
