// `--changed-only`: a node is reused (no engine statement) when what its build would run is what the
// ledger recorded and every input has the data version it had then. Anything uncertain rebuilds:
// no ledger entry, an input without a known version (a source with neither an engine version nor a
// `loaded_at_field`), a table whose engine version (Dremio snapshot id) moved since cairn built it, a kind
// whose inputs cairn cannot see (script tasks, microbatch, COPY INTO where the location cannot be
// listed), files read by path that cannot be versioned, a missing relation.
// Plain runs use the same bookkeeping without reusing anything (`reuse: false`), so a node built by a
// plain `cairn build` is in the ledger for the next `--changed-only` run.
import type { Adapter } from '../../adapters/adapter.js';
import { compileNode } from '../compile/compile-node.js';
import { checksum as sha } from '../compile/parse-models.js';
import type { ParsedProject } from '../compile/parse-project.js';
import type { ProjectNode } from '../project/types.js';
import { stableJson } from '../state/fingerprint.js';
import type { BuildLedger, LedgerEntry } from './build-ledger.js';
import { EngineVersions, isTableNode } from './engine-versions.js';
import { alwaysBuiltReason, FILES_PREFIX, filesLabel, nodeFileVersion } from './file-inputs.js';

export interface ReuseDecision {
  reuse: boolean;
  /** Why, in a few words, for the REUSED line and run_results.json. */
  reason: string;
  fingerprint?: string;
  inputs?: Record<string, string>;
}

export const PERIOD_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export class ChangedOnly {
  /** Data version of each node after this run's step for it (rebuilt: new; reused: the ledger's). */
  private readonly versions = new Map<string, string>();
  private readonly sourceVersions = new Map<string, Promise<string | undefined>>();
  /** Which relations exist, asked once for the whole run (one catalog query, not one per node). */
  private exists?: Promise<Set<string>>;

  private readonly engine: EngineVersions;
  private readonly renders = new Map<string, { fingerprint?: string; sql?: string }>();

  /** `reuse: false`: a plain run, which only records what it builds. */
  constructor(private readonly p: ParsedProject, private readonly adapter: Adapter, private readonly ledger: BuildLedger, private readonly fullRefresh: boolean, private readonly reuse = true, scope?: readonly string[]) {
    this.engine = new EngineVersions(p, adapter, ledger, scope);
  }

  async decide(node: ProjectNode): Promise<ReuseDecision> {
    const kind = String(node.config.materialized ?? '');
    const always = alwaysBuiltReason(this.p, node);
    if (always) return { reuse: false, reason: always };
    const fingerprint = this.fingerprint(node);
    const inputs = await this.inputs(node);
    const built = { fingerprint, inputs: 'unknown' in inputs ? undefined : inputs };
    if (!this.reuse) return { reuse: false, reason: 'a plain run builds every node', ...built };
    if (this.fullRefresh) return { reuse: false, reason: '--full-refresh', ...built };
    const never = neverReusedReason(node);
    if (never) return { reuse: false, reason: never, ...built };
    const e = this.ledger.get(node.uniqueId);
    if (!e) return { reuse: false, reason: 'no successful build recorded', ...built };
    if (fingerprint === undefined || fingerprint !== e.fingerprint) return { reuse: false, reason: 'its code or config changed', ...built };
    if (node.relation && node.resourceType !== 'test' && node.resourceType !== 'unit_test' && !(await this.existing()).has(node.uniqueId)) {
      return { reuse: false, reason: 'its relation is missing', ...built };
    }
    // The engine's own version (Dremio: Iceberg snapshot) moved since cairn built it: written outside cairn.
    if (e.engineVersion && isTableNode(node)) {
      const now = await this.engine.current(node.uniqueId);
      if (now !== e.engineVersion) return { reuse: false, reason: now === undefined ? 'its table version cannot be read' : 'its table was written outside cairn since its last build', ...built };
    }
    // A view reads its inputs live: only its own definition matters.
    if (kind === 'view' && node.resourceType === 'model') return this.reused(node, e, 'view definition unchanged');
    if ('unknown' in inputs) {
      const why = inputs.unknown.startsWith(FILES_PREFIX) ? 'cannot be versioned (a remote URL or a path built at run time)' : 'has no known data version';
      return { reuse: false, reason: `${this.name(inputs.unknown)} ${why}`, ...built };
    }
    const changed = Object.keys({ ...inputs, ...e.inputs }).find((k) => inputs[k] !== e.inputs[k]);
    if (changed === undefined) return this.reused(node, e, 'code and inputs unchanged');
    const cap = buildAfterMs(node.config.build_after);
    if (cap !== undefined && Date.now() - Date.parse(e.builtAt) < cap) return this.reused(node, e, `new data in ${this.name(changed)}, but built less than build_after ago`);
    const files = filesLabel(this.p, changed);
    return { reuse: false, reason: files ? `${files} changed` : `${this.name(changed)} has new data`, ...built };
  }

  /** After a successful build: the node has a new data version, and the ledger says what made it. */
  built(node: ProjectNode, d: ReuseDecision, invocationId: string): void {
    const version = `${invocationId}`;
    this.versions.set(node.uniqueId, version);
    // A view's data is live: what it reads does not decide whether it is re-created.
    const inputs = d.inputs ?? (node.resourceType === 'model' && node.config.materialized === 'view' ? {} : undefined);
    if (d.fingerprint === undefined || inputs === undefined || node.resourceType === 'task') {
      this.ledger.forget(node.uniqueId);
      return;
    }
    this.ledger.record(node.uniqueId, { fingerprint: d.fingerprint, inputs, version, builtAt: new Date().toISOString() });
  }

  private existing(): Promise<Set<string>> {
    this.exists ??= (async () => {
      const nodes = [...this.p.nodes.values()].filter((n) => n.relation && this.ledger.get(n.uniqueId) && n.resourceType !== 'test' && n.resourceType !== 'unit_test');
      const rels = nodes.map((n) => n.relation!);
      const kinds = this.adapter.getRelationKinds ? await this.adapter.getRelationKinds(rels) : await Promise.all(rels.map((r) => this.adapter.getRelationKind(r)));
      return new Set(nodes.filter((_n, i) => kinds[i] !== null).map((n) => n.uniqueId));
    })();
    return this.exists;
  }

  /** Writes what this run built to the ledger file, with the engine's version of each table built. */
  async save(): Promise<void> {
    const now = await this.engine.afterBuild(this.ledger.recorded());
    for (const [id, v] of now) {
      const e = this.ledger.get(id);
      if (e && v) this.ledger.record(id, { ...e, engineVersion: v });
    }
    this.ledger.save();
  }

  /** A failed run never marks a node as built: its entry goes, so the next run builds it. */
  failed(node: ProjectNode, invocationId: string): void {
    this.versions.set(node.uniqueId, `failed:${invocationId}`);
    this.ledger.forget(node.uniqueId);
  }

  private reused(node: ProjectNode, e: LedgerEntry, reason: string): ReuseDecision {
    this.versions.set(node.uniqueId, e.version);
    return { reuse: true, reason };
  }

  private name(id: string): string {
    const files = filesLabel(this.p, id);
    if (files) return files;
    const n = this.p.nodes.get(id);
    return n ? (n.resourceType === 'source' ? `source ${String(n.extra?.sourceName)}.${n.name}` : n.name) : id;
  }

  private render(node: ProjectNode): { fingerprint?: string; sql?: string } {
    let r = this.renders.get(node.uniqueId);
    if (!r) {
      r = nodeRender(this.p, node);
      this.renders.set(node.uniqueId, r);
    }
    return r;
  }

  private fingerprint(node: ProjectNode): string | undefined {
    return this.render(node).fingerprint;
  }

  /** A parent not handled in this run: the ledger's version, unless its table moved since (engine cross-check). */
  private async ledgerVersion(id: string): Promise<string | undefined> {
    const e = this.ledger.get(id);
    if (!e?.engineVersion) return e?.version;
    const now = await this.engine.current(id);
    return now === e.engineVersion ? e.version : now && `${e.version}|${now}`;
  }

  /**
   * Each input's data version now. An ephemeral parent stands for its own inputs; so does a view (its
   * data is live: the tables beneath it are what changes), plus its definition.
   */
  private async inputs(node: ProjectNode): Promise<Record<string, string> | { unknown: string }> {
    const out: Record<string, string> = {};
    const seen = new Set<string>();
    const visit = async (n: ProjectNode): Promise<string | undefined> => {
      // Files it reads by path (read_csv('...'), a copy_into location), beside its parents.
      const files = nodeFileVersion(this.p, n, this.render(n).sql);
      if (files === null) return `${FILES_PREFIX}${n.uniqueId}`;
      if (files !== undefined) out[`${FILES_PREFIX}${n.uniqueId}`] = files;
      for (const d of n.dependsOn.nodes) {
        if (seen.has(d)) continue;
        seen.add(d);
        const parent = this.p.nodes.get(d);
        if (!parent || parent.resourceType === 'test' || parent.resourceType === 'unit_test') continue;
        const kind = parent.config.materialized;
        if (parent.resourceType === 'model' && (kind === 'ephemeral' || kind === 'view')) {
          if (kind === 'view') {
            const fp = this.fingerprint(parent);
            if (fp === undefined) return d;
            out[d] = `view:${fp}`;
          }
          const missing = await visit(parent);
          if (missing) return missing;
          continue;
        }
        const v = parent.resourceType === 'source' ? await this.sourceVersion(parent) : this.versions.get(d) ?? await this.ledgerVersion(d);
        if (v === undefined) return d;
        out[d] = v;
      }
      return undefined;
    };
    const missing = await visit(node);
    return missing ? { unknown: missing } : out;
  }

  /**
   * A source's version: the engine's own (Dremio: Iceberg snapshot id) where it has one, else its
   * newest `loaded_at_field` value; without either it has none (always new).
   */
  private sourceVersion(src: ProjectNode): Promise<string | undefined> {
    let v = this.sourceVersions.get(src.uniqueId);
    if (!v) {
      v = (async () => {
        const snapshot = await this.engine.current(src.uniqueId);
        if (snapshot) return snapshot;
        const field = src.extra?.loadedAtField as string | undefined;
        const d = this.p.ctx.dialect;
        if (!field || !d.freshnessQuery || !src.relation) return undefined;
        try {
          const r = await this.adapter.execute(d.freshnessQuery(src.relation, field), { fetch: true, nodeId: src.uniqueId });
          const max = r.rows?.[0]?.max_loaded_at;
          return max === null || max === undefined ? undefined : `loaded_at:${String(max)}`;
        } catch {
          return undefined;
        }
      })();
      this.sourceVersions.set(src.uniqueId, v);
    }
    return v;
  }
}

/**
 * A node configured `changed_only: false` (folder config, schema YAML or `config()`; e.g.
 * `tests: +changed_only: false` reruns every test) is never reused: it runs on every run. It is still
 * recorded as built, so its readers see its new data version and it can be reused once the setting goes.
 */
export function neverReusedReason(node: ProjectNode): string | undefined {
  return node.config.changed_only === false ? 'changed_only: false (always runs)' : undefined;
}

export function buildAfterMs(v: unknown): number | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const { count, period } = v as { count?: unknown; period?: unknown };
  const unit = PERIOD_MS[String(period)];
  return typeof count === 'number' && unit ? count * unit : undefined;
}

/** What a node's build would run: rendered SQL (both incremental branches), seed file, config. */
export function nodeFingerprint(p: ParsedProject, node: ProjectNode): string | undefined {
  return nodeRender(p, node).fingerprint;
}

/** The node's fingerprint and the SQL it renders (both incremental branches), rendered once. */
export function nodeRender(p: ParsedProject, node: ProjectNode): { fingerprint?: string; sql?: string } {
  // `changed_only` says when to build, not what: setting or removing it does not make the node changed.
  const config = stableJson('changed_only' in node.config ? { ...node.config, changed_only: undefined } : node.config);
  if (node.resourceType === 'seed') return { fingerprint: sha(`${node.checksum}\n${config}`) };
  if (node.resourceType === 'unit_test') return { fingerprint: sha(`${stableJson(node.extra?._unitTest ?? null)}\n${config}`) };
  if (!p.templates.has(node.uniqueId)) return {};
  try {
    let text = compileNode(p, node, { isIncremental: false }).sql;
    if (node.config.materialized === 'incremental') text += '\n-- is_incremental\n' + compileNode(p, node, { isIncremental: true }).sql;
    return { fingerprint: sha(`${text}\n${config}`), sql: text };
  } catch {
    return {}; // it will fail to build too, with its own message
  }
}
