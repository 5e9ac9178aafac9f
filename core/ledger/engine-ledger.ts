// The build ledger kept in the engine too (`build_ledger: {store: engine}` in dbt_project.yml), so it
// survives a fresh checkout (a CI runner, a new laptop) where `target/build_ledger.json` is gone: a
// small table beside the project's tables (where the dialect puts a table named `cairn_build_ledger`
// in the target's schema; on Dremio an Iceberg table in object_storage_source.object_storage_path),
// one row per target and node with the ledger entry as JSON. Read once as a run starts (entries
// missing or older locally are taken from it); written once as the run ends, where the local file is
// saved (after the merge on a `--wap` run, so on the base branch): one DELETE of the changed nodes'
// rows and batched multi-row INSERTs. Never fails a run: a read or write error is one warning, and the
// run goes on with the local file alone (what it cannot vouch for rebuilds).
import type { Adapter, Relation } from '../../adapters/adapter.js';
import type { ParsedProject } from '../compile/parse-project.js';
import { CairnError } from '../errors.js';
import type { ProjectConfig } from '../project/types.js';
import { lineOf } from '../project/yaml-file.js';
import { didYouMean } from '../util/did-you-mean.js';
import type { BuildLedger, LedgerEntry } from './build-ledger.js';

export const DEFAULT_LEDGER_TABLE = 'cairn_build_ledger';
const KEYS = ['store', 'table'];
const STORES = ['file', 'engine'];
/** Rows per INSERT: keeps each statement's text well under the engines' limits. */
const ROWS_PER_INSERT = 200;
/**
 * An entry longer than this is left out of the table (that node rebuilds after a fresh checkout):
 * Dremio's VARCHAR values are limited to 32,000 bytes (`limits.single_field_size_bytes`).
 */
const MAX_ENTRY_BYTES = 30_000;

/** The `build_ledger:` setting of dbt_project.yml: the table's name when the ledger is kept in the engine too. */
export function engineLedgerTable(project: ProjectConfig): string | undefined {
  const raw = project.raw.build_ledger;
  if (raw === undefined || raw === null) return undefined;
  const where = (path: string[]) => ({ file: 'dbt_project.yml', line: lineOf(project.file, ['build_ledger', ...path]) });
  const example = 'e.g. build_ledger: {store: engine, table: cairn_build_ledger}';
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new CairnError('CONFIG_INVALID', '`build_ledger:` must be a mapping with `store:` (file or engine) and optionally `table:`', { ...where([]), hint: example });
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!KEYS.includes(k)) throw new CairnError('CONFIG_INVALID', `\`build_ledger:\` has an unknown key \`${k}\``, { ...where([k]), hint: didYouMean(k, KEYS) ?? `its keys are ${KEYS.join(', ')}` });
  }
  const store = o.store ?? 'file';
  if (typeof store !== 'string' || !STORES.includes(store)) {
    throw new CairnError('CONFIG_INVALID', `\`build_ledger.store\` must be \`file\` (target/build_ledger.json only, the default) or \`engine\` (also a table in the target's engine), not \`${String(store)}\``, { ...where(['store']), hint: didYouMean(String(store), STORES) ?? example });
  }
  const table = o.table ?? DEFAULT_LEDGER_TABLE;
  if (typeof table !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) {
    throw new CairnError('CONFIG_INVALID', `\`build_ledger.table\` must be a plain table name (letters, digits, _), not \`${String(table)}\``, { ...where(['table']), hint: 'it lives where the target puts tables; e.g. table: cairn_build_ledger' });
  }
  return store === 'engine' ? table : undefined;
}

export class EngineLedger {
  readonly relation: Relation;
  private readonly name: string;
  /** How the table reads in messages (`main.cairn_build_ledger`, `lake.marts.cairn_build_ledger`). */
  private readonly label: string;
  /** Whether the table exists (undefined: unknown, the read failed). */
  private exists?: boolean;
  /** Ids the engine lacks or holds older than the local file: written at the end with this run's changes. */
  private pending: string[] = [];
  private warned = false;

  constructor(private readonly p: ParsedProject, private readonly adapter: Adapter, table: string, private readonly warn: (message: string) => void) {
    const t = p.ctx.target;
    this.relation = adapter.dialect.relationFor({ name: table, resourceType: 'model', materialized: 'table', schema: t.schema, database: t.database, config: {} }, t);
    this.name = adapter.dialect.renderRelation(this.relation);
    this.label = [this.relation.database, this.relation.schema, this.relation.identifier].filter(Boolean).join('.');
    // The ledger's rows would be deleted and inserted in a project's own relation: refuse before anything runs.
    for (const n of p.nodes.values()) {
      if (n.relation && adapter.dialect.renderRelation(n.relation) === this.name) {
        throw new CairnError('CONFIG_INVALID', `the build ledger table ${this.label} is also the relation of ${n.resourceType} \`${n.name}\``, {
          file: 'dbt_project.yml', line: lineOf(p.ctx.project.file, ['build_ledger']), hint: 'set `build_ledger: {store: engine, table: <another name>}`',
        });
      }
    }
  }

  /** Reads this target's rows and merges them into `ledger`. */
  async load(ledger: BuildLedger): Promise<void> {
    let remote: Record<string, LedgerEntry> = {};
    try {
      this.exists = (await this.adapter.getRelationKind(this.relation)) !== null;
      if (this.exists) remote = await this.read();
    } catch (e) {
      this.exists = undefined;
      this.fail('read', e);
      return;
    }
    this.pending = ledger.adopt(remote);
  }

  /** Writes this run's changed entries (and those the engine lacked) for this target. */
  async save(ledger: BuildLedger): Promise<void> {
    const ids = new Set([...ledger.changes().keys(), ...this.pending]);
    if (!ids.size) return;
    const d = this.adapter.dialect;
    const q = (c: string) => d.quoteIdentifier(c);
    const s = (v: string) => d.quoteString(v);
    const target = s(this.p.ctx.target.name);
    const rows: string[] = [];
    const savedAt = s(new Date().toISOString());
    for (const id of ids) {
      const e = ledger.get(id);
      if (!e) continue;
      const json = JSON.stringify(e);
      if (Buffer.byteLength(json) <= MAX_ENTRY_BYTES) rows.push(`(${target}, ${s(id)}, ${s(json)}, ${savedAt})`);
    }
    const statements: string[] = [];
    // Dremio documents `CREATE TABLE [ IF NOT EXISTS ] <name> ( <column> <type> [, ...] )` (an Iceberg
    // table; docs.dremio.com/current/reference/sql/commands/create-table), multi-row `INSERT ... VALUES`
    // and `DELETE FROM ... WHERE` on Iceberg tables (.../apache-iceberg-tables/); DuckDB takes the same.
    if (!this.exists) statements.push(`CREATE TABLE IF NOT EXISTS ${this.name} (${q('target_name')} VARCHAR, ${q('node_id')} VARCHAR, ${q('entry')} VARCHAR, ${q('saved_at')} VARCHAR)`);
    else statements.push(`DELETE FROM ${this.name} WHERE ${q('target_name')} = ${target} AND ${q('node_id')} IN (${[...ids].map(s).join(', ')})`);
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      statements.push(`INSERT INTO ${this.name} (${['target_name', 'node_id', 'entry', 'saved_at'].map(q).join(', ')}) VALUES ${rows.slice(i, i + ROWS_PER_INSERT).join(', ')}`);
    }
    try {
      if (!this.exists) await this.adapter.ensureSchema(this.relation);
      // A missing table is created, and then holds no row of this target: nothing to delete.
      if (this.exists === undefined) {
        this.exists = (await this.adapter.getRelationKind(this.relation)) !== null;
        if (this.exists) statements[0] = `DELETE FROM ${this.name} WHERE ${q('target_name')} = ${target} AND ${q('node_id')} IN (${[...ids].map(s).join(', ')})`;
      }
      // One statement at a time: DELETE first, so a failed INSERT leaves rows missing (they rebuild), never stale.
      for (const sql of statements) await this.adapter.execute(sql);
      this.exists = true;
      this.pending = [];
    } catch (e) {
      this.fail('write', e);
    }
  }

  private async read(): Promise<Record<string, LedgerEntry>> {
    const d = this.adapter.dialect;
    const q = (c: string) => d.quoteIdentifier(c);
    const r = await this.adapter.execute(`SELECT ${q('node_id')}, ${q('entry')} FROM ${this.name} WHERE ${q('target_name')} = ${d.quoteString(this.p.ctx.target.name)}`, { fetch: true });
    const out: Record<string, LedgerEntry> = {};
    for (const row of r.rows ?? []) {
      const id = row.node_id;
      try {
        const e = JSON.parse(String(row.entry)) as LedgerEntry;
        // Not an entry this cairn wrote: skip it (that node rebuilds), never guess.
        if (!(typeof id === 'string' && e && typeof e.fingerprint === 'string' && typeof e.version === 'string' && typeof e.builtAt === 'string' && e.inputs && typeof e.inputs === 'object')) continue;
        // Two machines saving at once can leave two rows for a node: the newest build wins.
        if (!out[id] || Date.parse(out[id].builtAt) < Date.parse(e.builtAt)) out[id] = e;
      } catch { /* unreadable row: that node rebuilds */ }
    }
    return out;
  }

  private fail(what: 'read' | 'write', e: unknown): void {
    if (this.warned) return;
    this.warned = true;
    const message = String((e as Error)?.message ?? e).split('\n')[0];
    this.warn(what === 'read'
      ? `build_ledger: could not read the build ledger table ${this.label} (${message}); this run uses target/build_ledger.json only`
      : `build_ledger: could not write the build ledger table ${this.label} (${message}); target/build_ledger.json has this run's builds, the table may not`);
  }
}
