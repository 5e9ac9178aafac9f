// Data versions the engine itself keeps (Dremio: each table's current Iceberg snapshot id), through
// the optional `Adapter.dataVersions`. Used by `--changed-only` for sources (a real version without
// `loaded_at_field`) and as a cross-check on tables cairn built: a table whose snapshot moved since
// cairn's build was written outside cairn. Asked once per run, in bulk, for every source and every
// table-like node the ledger knows; an engine without the capability answers nothing (DuckDB).
import type { Adapter } from '../../adapters/adapter.js';
import type { ParsedProject } from '../compile/parse-project.js';
import type { ProjectNode } from '../project/types.js';
import type { BuildLedger } from './build-ledger.js';

const TABLE_KINDS = new Set(['table', 'incremental', 'copy_into', 'microbatch']);

/** Nodes whose relation is a table the engine versions (models materialized as tables, seeds, snapshots). */
export function isTableNode(n: ProjectNode): boolean {
  if (!n.relation) return false;
  if (n.resourceType === 'seed' || n.resourceType === 'snapshot') return true;
  return n.resourceType === 'model' && TABLE_KINDS.has(String(n.config.materialized ?? ''));
}

export class EngineVersions {
  private now?: Promise<Map<string, string | null>>;

  /** `scope`: the run's nodes; only they and what they read are asked about (a one-model run on a big project asks a few). */
  constructor(private readonly p: ParsedProject, private readonly adapter: Adapter, private readonly ledger: BuildLedger, private readonly scope?: readonly string[]) {}

  get available(): boolean {
    return typeof this.adapter.dataVersions === 'function';
  }

  /** The engine's version of a source or ledger-known table as the run started (undefined: not asked or none). */
  async current(id: string): Promise<string | undefined> {
    if (!this.available) return undefined;
    this.now ??= this.ask(this.candidates().filter((n) => n.relation && (n.resourceType === 'source' || (isTableNode(n) && this.ledger.get(n.uniqueId)?.engineVersion))));
    return (await this.now).get(id) ?? undefined;
  }

  /** After the run: the engine's version of each table this run built, to record in the ledger. */
  async afterBuild(ids: readonly string[]): Promise<Map<string, string | null>> {
    if (!this.available) return new Map();
    return this.ask(ids.map((id) => this.p.nodes.get(id)).filter((n): n is ProjectNode => Boolean(n && isTableNode(n))));
  }

  /** The scope's nodes and their inputs, looking through views and ephemeral models (whose inputs are read live). */
  private candidates(): ProjectNode[] {
    if (!this.scope) return [...this.p.nodes.values()];
    const seen = new Set<string>();
    const out: ProjectNode[] = [];
    const visit = (id: string, through: boolean): void => {
      if (seen.has(id)) return;
      seen.add(id);
      const n = this.p.nodes.get(id);
      if (!n) return;
      out.push(n);
      const kind = n.config.materialized;
      if (through || (n.resourceType === 'model' && (kind === 'view' || kind === 'ephemeral'))) for (const d of n.dependsOn.nodes) visit(d, false);
    };
    for (const id of this.scope) visit(id, true);
    return out;
  }

  private async ask(nodes: readonly ProjectNode[]): Promise<Map<string, string | null>> {
    if (!nodes.length) return new Map();
    try {
      const v = await this.adapter.dataVersions!(nodes.map((n) => n.relation!));
      return new Map(nodes.map((n, i) => [n.uniqueId, v[i] ?? null]));
    } catch {
      return new Map(); // unknown versions: what depends on them rebuilds
    }
  }
}
