// Nessie branches, minimally (a TEST DOUBLE, not Nessie's commit model). Every `catalogs` source is
// versioned; its default branch `main` is the source's own namespace. Branch `b` of source `cat` is a
// sibling namespace `cat@b` (DuckDB schemas "cat@b/..."; `@` cannot appear in cairn's names):
// - CREATE BRANCH copies the source branch's folders, tables (data) and views (SQL as stored, so a
//   view pinned AT BRANCH main keeps reading main, as in Dremio) into the new namespace;
// - a request whose REST `references` name a branch of the path's source, or a path followed by
//   `AT BRANCH b`, reads and writes that namespace (versionedPath, applied by the translator);
// - MERGE BRANCH applies what was written on the branch since it was created or last merged
//   (branch-writes.ts), as Nessie merges the branch's commits: those datasets replace the target's,
//   ones dropped on the branch are dropped, the rest of the target is untouched (no conflict detection);
// - DROP BRANCH removes the namespace.
import { parseError, validationError, unsupported } from './errors.js';
import { toDuck } from './namespace.js';
import { okResult, type ResultSet } from './result-set.js';
import type { ExecEnv } from './sql-env.js';
import { isVersionedType, notVersioned } from './source-types.js';
import { isIdent, isSignificant, isWord, quoteIdent, quoteString, tokenize, type Token } from './sql-tokenize.js';
import { recordWrite, takeWrites } from './branch-writes.js';

export const DEFAULT_BRANCH = 'main';
export interface VersionRef { readonly type: string; readonly value: string }

/** Root of a branch's namespace: `cat` for main, `cat@b` otherwise. */
export const branchRoot = (source: string, branch: string): string =>
  branch.toLowerCase() === DEFAULT_BRANCH ? source : `${source}@${branch}`;

/** `path` as stored for the branch its statement reads or writes (`at` wins over the request's references). */
export function versionedPath(env: Pick<ExecEnv, 'catalog' | 'references'>, path: readonly string[], at?: VersionRef): readonly string[] {
  const root = env.catalog.root(path);
  if (root?.path[0]!.includes('@')) return path;
  if (root?.kind !== 'source' || !isVersionedType(root.sourceType)) {
    // VersionContextResolverImpl: a version clause on a source that is not versioned is refused;
    // REST `references` naming such a source are not applied to it.
    if (at && root) throw notVersioned(root.path[0]!);
    return path;
  }
  const refs = env.references ?? {};
  const ref = at ?? Object.entries(refs).find(([k]) => k.toLowerCase() === root.path[0]!.toLowerCase())?.[1];
  if (!ref || ref.value.toLowerCase() === DEFAULT_BRANCH) return path;
  if (!/^(BRANCH|REF|REFERENCE)$/i.test(ref.type)) throw unsupported(`${ref.type.toUpperCase()} references`);
  const b = branchRoot(root.path[0]!, ref.value);
  if (!env.catalog.container([b])) throw validationError(`Branch '${ref.value}' is not found in source [${root.path[0]}]`);
  return [b, ...path.slice(1)];
}

export const isBranchStatement = (sql: string): boolean => /^\s*(CREATE|MERGE|DROP)\s+BRANCH\b/i.test(sql);

/** CREATE BRANCH [IF NOT EXISTS] b [AT|FROM BRANCH|REF r] IN s | MERGE BRANCH b [INTO t] IN s | DROP BRANCH b [FORCE] IN s */
export async function branchStatement(sql: string, env: ExecEnv): Promise<{ kind: string; result: ResultSet }> {
  const t = new Words(tokenize(sql).filter(isSignificant).filter((x) => !(x.type === 'punct' && x.text === ';')));
  const verb = t.word().toUpperCase();
  t.expect('BRANCH');
  const ifNotExists = verb === 'CREATE' && t.accept('IF', 'NOT', 'EXISTS');
  const name = t.name();
  let from = DEFAULT_BRANCH;
  let into = DEFAULT_BRANCH;
  if (verb === 'CREATE' && (t.accept('AT') || t.accept('FROM'))) {
    if (!(t.accept('BRANCH') || t.accept('REF') || t.accept('REFERENCE'))) throw unsupported('CREATE BRANCH from a tag or commit');
    from = t.name();
  }
  if (verb === 'MERGE' && t.accept('INTO')) into = t.name();
  if (verb === 'DROP') t.accept('FORCE');
  if (!t.accept('IN')) throw validationError(`${verb} BRANCH needs IN <source> (the emulator has no session source)`);
  const source = env.catalog.root([t.name()]);
  if (!t.done()) throw parseError(`Encountered "${t.peekText()}" after ${verb} BRANCH.`);
  // BaseVersionHandler.getVersionedPlugin: only NESSIE / ARCTIC sources have branches.
  if (!source) throw validationError(`Source ${t.lastName()} does not exist.`);
  if (source.kind !== 'source' || !isVersionedType(source.sourceType) || source.path[0]!.includes('@')) throw notVersioned(source.path[0]!);
  const cat = source.path[0]!;
  const exists = (b: string) => env.catalog.container([branchRoot(cat, b)]) !== undefined;
  const needBranch = (b: string) => { if (!exists(b)) throw validationError(`Branch '${b}' is not found in source [${cat}]`); };
  if (verb === 'CREATE') {
    if (exists(name)) {
      if (ifNotExists) return { kind: 'CREATE_BRANCH', result: okResult(`Branch ${name} already exists in ${cat}.`) };
      throw validationError(`Reference ${name} already exists in source [${cat}].`);
    }
    needBranch(from);
    env.catalog.add('source', [branchRoot(cat, name)], source.sourceType);
    await copyNamespace(env, branchRoot(cat, from), branchRoot(cat, name), false);
    takeWrites(env.catalog, branchRoot(cat, name));
    return { kind: 'CREATE_BRANCH', result: okResult(`Branch ${name} has been created at ${from} in ${cat}.`) };
  }
  if (verb === 'MERGE') {
    if (name.toLowerCase() === into.toLowerCase()) throw validationError(`Cannot merge branch ${name} into itself.`);
    needBranch(name);
    needBranch(into);
    await mergeWrites(env, branchRoot(cat, name), branchRoot(cat, into));
    return { kind: 'MERGE_BRANCH', result: okResult(`Branch ${name} has been merged into ${into} in ${cat}.`) };
  }
  if (name.toLowerCase() === DEFAULT_BRANCH) throw validationError(`Cannot drop the default branch ${DEFAULT_BRANCH} of source [${cat}].`);
  needBranch(name);
  for (const s of await schemasUnder(env, branchRoot(cat, name))) await env.run(`DROP SCHEMA ${quoteIdent(s)} CASCADE`);
  env.catalog.removeTree([branchRoot(cat, name)]);
  return { kind: 'DROP_BRANCH', result: okResult(`Branch ${name} has been dropped in ${cat}.`) };
}

/** Copies folders, tables and views from namespace root `from` to `to` (replacing same-named datasets when `replace`). */
async function copyNamespace(env: ExecEnv, from: string, to: string, replace: boolean): Promise<void> {
  const lower = from.toLowerCase();
  for (const c of env.catalog.allContainers()) {
    if (c.kind === 'folder' && c.path[0]!.toLowerCase() === lower && !env.catalog.container([to, ...c.path.slice(1)])) env.catalog.add('folder', [to, ...c.path.slice(1)]);
  }
  const schemas = await schemasUnder(env, from);
  const rebase = (s: string) => to + s.slice(from.length);
  for (const s of schemas) await env.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(rebase(s))}`);
  const list = quoteSet(schemas);
  const tables = schemas.length ? (await env.query(`SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name IN ${list}`)).rows : [];
  const views = schemas.length ? (await env.query(`SELECT schema_name, view_name, sql FROM duckdb_views() WHERE NOT internal AND schema_name IN ${list}`)).rows : [];
  for (const [schema, table] of tables.map((r) => r.map(String))) {
    const dst = `${quoteIdent(rebase(schema!))}.${quoteIdent(table!)}`;
    if (replace) await dropExisting(env, [...rebase(schema!).split('/'), table!]);
    await env.run(`CREATE TABLE ${dst} AS SELECT * FROM ${quoteIdent(schema!)}.${quoteIdent(table!)}`);
  }
  for (const [schema, view, text] of views.map((r) => r.map(String))) {
    if (replace) await dropExisting(env, [...rebase(schema!).split('/'), view!]);
    await env.run(`CREATE VIEW ${quoteIdent(rebase(schema!))}.${quoteIdent(view!)} AS ${viewBody(text!)}`);
  }
}

/** Applies the datasets written under `from` since its last merge to the same paths under `to`. */
async function mergeWrites(env: ExecEnv, from: string, to: string): Promise<void> {
  for (const c of env.catalog.allContainers()) {
    if (c.kind === 'folder' && c.path[0]!.toLowerCase() === from.toLowerCase() && !env.catalog.container([to, ...c.path.slice(1)])) env.catalog.add('folder', [to, ...c.path.slice(1)]);
  }
  for (const path of takeWrites(env.catalog, from)) {
    const dst = [to, ...path.slice(1)];
    // A merge is new commits on the target branch (Nessie's merge transplants the source's commits), so
    // merging that branch on (e.g. a table-swap branch into a --wap run branch, then the run branch into
    // main) carries them along. Without this the second merge silently dropped the first one's tables.
    recordWrite(env.catalog, dst);
    await dropExisting(env, dst);
    const src = toDuck(path);
    const d = toDuck(dst);
    const table = await env.query(`SELECT 1 FROM duckdb_tables() WHERE schema_name = ${quoteString(src.schema)} AND table_name = ${quoteString(src.table)}`);
    const view = await env.query(`SELECT sql FROM duckdb_views() WHERE NOT internal AND schema_name = ${quoteString(src.schema)} AND view_name = ${quoteString(src.table)}`);
    if (!table.rows.length && !view.rows.length) continue; // dropped on the branch: dropped on the target too
    await env.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(d.schema)}`);
    if (table.rows.length) await env.run(`CREATE TABLE ${quoteIdent(d.schema)}.${quoteIdent(d.table)} AS SELECT * FROM ${quoteIdent(src.schema)}.${quoteIdent(src.table)}`);
    else await env.run(`CREATE VIEW ${quoteIdent(d.schema)}.${quoteIdent(d.table)} AS ${viewBody(String(view.rows[0]![0]))}`);
  }
}

async function dropExisting(env: ExecEnv, path: readonly string[]): Promise<void> {
  const ds = env.catalog.dataset(path);
  if (ds) await env.run(`DROP ${ds.type} ${quoteIdent(toDuck(path).schema)}.${quoteIdent(toDuck(path).table)}`);
}

async function schemasUnder(env: ExecEnv, root: string): Promise<string[]> {
  const r = await env.query(`SELECT schema_name FROM duckdb_schemas() WHERE lower(schema_name) = lower(${quoteString(root)}) OR starts_with(lower(schema_name), lower(${quoteString(root + '/')}))`);
  return r.rows.map((row) => String(row[0]));
}

const quoteSet = (xs: readonly string[]): string => `(${xs.map(quoteString).join(', ')})`;

/** DuckDB stores `CREATE VIEW <schema>.<name> AS <query>;`: keep the query. */
function viewBody(sql: string): string {
  const m = /^CREATE VIEW\s+(?:"(?:[^"]|"")*"|[^\s."]+)\.(?:"(?:[^"]|"")*"|[^\s."]+)\s+AS\s+([\s\S]*?);?\s*$/i.exec(sql);
  if (!m) throw new Error(`emulator: cannot read view definition: ${sql.slice(0, 80)}`);
  return m[1]!;
}

class Words {
  private i = 0;
  constructor(private readonly ts: readonly Token[]) {}
  done(): boolean { return this.i >= this.ts.length; }
  peekText(): string { return this.ts[this.i]?.text ?? '<EOF>'; }
  accept(...ws: string[]): boolean {
    for (let k = 0; k < ws.length; k++) if (!isWord(this.ts[this.i + k], ws[k]!)) return false;
    this.i += ws.length;
    return true;
  }
  expect(w: string): void { if (!this.accept(w)) throw parseError(`Encountered "${this.peekText()}". Was expecting ${w}.`); }
  word(): string { const t = this.ts[this.i++]; if (t?.type !== 'word') throw parseError('Encountered "<EOF>".'); return t.value; }
  lastName(): string { return this.ts[this.i - 1]?.value ?? ''; }
  name(): string {
    const t = this.ts[this.i];
    if (!isIdent(t)) throw parseError(`Encountered "${this.peekText()}". Was expecting a reference name.`);
    this.i++;
    return t!.value;
  }
}
