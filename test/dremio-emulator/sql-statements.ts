// Executes one Dremio SQL statement: translate paths, dispatch on the statement kind, return the
// result set Dremio would return. Anything not recognised fails like Dremio's parser would.
import { parseError, validationError, unsupported } from './errors.js';
import { displayPath, toDuckSql } from './namespace.js';
import { type ResultSet, fromDuck, okResult } from './result-set.js';
import { checkMergeCardinality, dmlResult } from './dml-rules.js';
import { Cursor, sqlOf } from './sql-cursor.js';
import { alter, createFolder, createTable, createView, dropDataset } from './sql-ddl.js';
import type { ExecEnv } from './sql-env.js';
import { isPunct, isWord, type Token } from './sql-tokenize.js';
import { type AtRef, translate } from './sql-translate.js';
import { copyInto } from './copy-into.js';
import { branchStatement, isBranchStatement, versionedPath } from './branches.js';
import { notIceberg } from './source-types.js';
import { mentionsTableSnapshot, rewriteTableSnapshots } from './table-snapshots.js';
import { recordWrite, WRITE_KINDS } from './branch-writes.js';
import { checkGrammar, checkSingleStatement } from './grammar-rules.js';

export interface StatementOutcome {
  readonly kind: string;
  readonly result: ResultSet;
  readonly atRefs: AtRef[];
}

const SYSTEM_ROOTS = new Set(['sys', 'information_schema']);

export async function executeStatement(sql: string, env: ExecEnv): Promise<StatementOutcome> {
  // Dremio parses the whole request first: more than one statement, or a shape its grammar lacks, fails
  // before anything is looked up (grammar-rules.ts). Simplification: the emulator counts statements
  // before checking their syntax; Dremio reports a syntax error in any of them first.
  checkSingleStatement(sql);
  checkGrammar(sql);
  if (isBranchStatement(sql)) return { ...(await branchStatement(sql, env)), atRefs: [] };
  if (mentionsTableSnapshot(sql)) sql = rewriteTableSnapshots(sql, env.catalog, env.context);
  const tr = translate(sql, {
    ...(env.context ? { context: env.context } : {}),
    exists: (p) => env.catalog.dataset(versionedPath(env, p)) !== undefined,
    version: (p, at) => versionedPath(env, p, at),
  });
  const tokens = [...tr.tokens];
  while (tokens.length > 0 && isPunct(tokens[tokens.length - 1], ';')) tokens.pop();
  if (tokens.length === 0) throw parseError('Failure parsing the query: empty statement.');
  const kind = statementKind(tokens);
  // Every path read by the statement must exist; the first relation of a write statement is its target.
  const reads = kind === 'QUERY' || kind === 'EXPLAIN' ? tr.relations : tr.relations.slice(1);
  if (kind !== 'GRANT') {
    for (const r of reads) {
      if (SYSTEM_ROOTS.has(r.path[0]!.toLowerCase()) || env.catalog.dataset(r.path)) continue;
      const parent = r.path.slice(0, -1);
      throw validationError(`Object '${r.path[r.path.length - 1]}' not found within '${displayPath(parent)}'`);
    }
  }
  const result = await dispatch(kind, new Cursor(tokens), env, tr.relations[0]?.path);
  if (WRITE_KINDS.has(kind) && tr.relations[0]) recordWrite(env.catalog, tr.relations[0].path);
  return { kind, result, atRefs: tr.atRefs };
}

function statementKind(tokens: readonly Token[]): string {
  const [a, b, c] = tokens;
  if (isPunct(a, '(') || isWord(a, 'SELECT', 'WITH', 'VALUES')) return 'QUERY';
  if (isWord(a, 'EXPLAIN')) return 'EXPLAIN';
  if (isWord(a, 'CREATE')) {
    if (isWord(b, 'OR') && isWord(c, 'REPLACE')) return isWord(tokens[3], 'VIEW') ? 'CREATE_OR_REPLACE_VIEW' : 'UNKNOWN';
    if (isWord(b, 'TABLE', 'VIEW', 'FOLDER', 'BRANCH', 'TAG', 'SPACE', 'USER', 'ROLE')) return `CREATE_${b!.value.toUpperCase()}`;
  }
  if (isWord(a, 'DROP') && isWord(b, 'TABLE', 'VIEW', 'BRANCH', 'TAG', 'FOLDER')) return `DROP_${b!.value.toUpperCase()}`;
  if (isWord(a, 'ALTER') && isWord(b, 'TABLE', 'PDS', 'VDS', 'VIEW')) return `ALTER_${b!.value.toUpperCase()}`;
  if (isWord(a, 'INSERT', 'MERGE', 'DELETE', 'UPDATE', 'TRUNCATE', 'COPY', 'GRANT', 'REVOKE', 'USE', 'SHOW', 'OPTIMIZE', 'VACUUM')) {
    return a!.value.toUpperCase();
  }
  return 'UNKNOWN';
}

async function dispatch(kind: string, c: Cursor, env: ExecEnv, target: readonly string[] | undefined): Promise<ResultSet> {
  switch (kind) {
    case 'QUERY': return fromDuck(await env.query(sqlOf(c.rest())));
    case 'EXPLAIN': {
      c.expect('EXPLAIN');
      c.accept('PLAN', 'FOR');
      const r = await env.query(`EXPLAIN ${sqlOf(c.rest())}`);
      return { schema: [{ name: 'text', type: { name: 'VARCHAR' } }], rows: r.rows.map((row) => ({ text: String(row[1]) })) };
    }
    case 'CREATE_TABLE': c.expect('CREATE', 'TABLE'); return createTable(c, env);
    case 'CREATE_VIEW': c.expect('CREATE', 'VIEW'); return createView(c, env, false);
    case 'CREATE_OR_REPLACE_VIEW': c.expect('CREATE', 'OR', 'REPLACE', 'VIEW'); return createView(c, env, true);
    case 'CREATE_FOLDER': c.expect('CREATE', 'FOLDER'); return createFolder(c, env);
    case 'DROP_TABLE': c.expect('DROP', 'TABLE'); return dropDataset(c, env, 'TABLE');
    case 'DROP_VIEW': c.expect('DROP', 'VIEW'); return dropDataset(c, env, 'VIEW');
    case 'ALTER_TABLE': case 'ALTER_PDS': case 'ALTER_VDS': case 'ALTER_VIEW': {
      c.pos = 2;
      return alter(c, env, kind.slice('ALTER_'.length));
    }
    case 'INSERT': case 'MERGE': case 'DELETE': case 'UPDATE': return dml(c, env, target);
    case 'TRUNCATE': {
      c.expect('TRUNCATE');
      c.accept('TABLE');
      const ifExists = c.accept('IF', 'EXISTS');
      const path = c.relation().path!;
      const ds = env.catalog.dataset(path);
      if (!ds && ifExists) return okResult(`Table [${displayPath(path)}] not found.`);
      if (ds?.type !== 'TABLE') throw validationError(`Table [${displayPath(path)}] not found`);
      if (env.catalog.formatOf(path) !== 'ICEBERG') throw notIceberg(displayPath(path));
      await env.run(`DELETE FROM ${toDuckSql(path)}`);
      env.catalog.touch(path);
      return okResult(`Table [${displayPath(path)}] truncated.`);
    }
    case 'COPY': c.expect('COPY', 'INTO'); return copyInto(c, env);
    case 'GRANT': case 'REVOKE': return okResult(`Emulator: ${kind} accepted as a no-op.`);
    case 'UNKNOWN': {
      const t = c.peek();
      throw parseError(`Failure parsing the query. Encountered "${t?.text ?? ''}" at line 1, column 1.`);
    }
    default: throw unsupported(kind.replace(/_/g, ' '));
  }
}

async function dml(c: Cursor, env: ExecEnv, target: readonly string[] | undefined): Promise<ResultSet> {
  if (!target) throw parseError(`Failure parsing the query: ${c.peek()?.text ?? ''} needs a target table path.`);
  const ds = env.catalog.dataset(target);
  if (ds?.type !== 'TABLE') {
    throw validationError(ds ? `[${displayPath(target)}] is a view; ${c.peek()!.text.toUpperCase()} needs a table.` : `Table [${displayPath(target)}] not found`);
  }
  if (env.catalog.formatOf(target) !== 'ICEBERG') throw notIceberg(displayPath(target));
  const kind = c.peek()!.value.toUpperCase();
  if (kind === 'MERGE') await checkMergeCardinality(c.tokens.slice(c.pos), env);
  const r = await env.query(sqlOf(c.rest()));
  env.catalog.touch(target);
  return dmlResult(kind, Number(r.rows[0]?.[0] ?? 0));
}
