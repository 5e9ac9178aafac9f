// What Dremio's Iceberg DML does beyond the SQL itself: the result columns it answers with, and the
// copy-on-write duplicate check that refuses a MERGE matching one target row twice.
import { validationError } from './errors.js';
import type { ResultSet } from './result-set.js';
import { Cursor, sqlOf } from './sql-cursor.js';
import type { ExecEnv } from './sql-env.js';
import { type Token, isIdent, isPunct, isWord, quoteIdent } from './sql-tokenize.js';

// DmlUtils.DML_OUTPUT_COLUMN_NAMES (sabot .../planner/sql/parser/DmlUtils.java): one nullable BIGINT
// column named for the operation. COPY INTO is planned as an INSERT (WriterRel) and adds
// DmlUtils.ROWS_REJECTED_COL_NAME when ON_ERROR is 'continue' or 'skip_file'
// (SqlCopyIntoTable.isOnErrorHandlingRequested).
const DML_COLUMN: Record<string, string> = {
  INSERT: 'Rows Inserted', MERGE: 'Rows Merged', DELETE: 'Rows Deleted', UPDATE: 'Rows Updated', COPY: 'Rows Inserted',
};
export const ROWS_REJECTED = 'Rows Rejected';

export function dmlResult(kind: string, n: number, rejected?: number): ResultSet {
  const col = DML_COLUMN[kind] ?? 'Rows Inserted';
  const schema = [{ name: col, type: { name: 'BIGINT' } }];
  if (rejected === undefined) return { schema, rows: [{ [col]: n }] };
  return { schema: [...schema, { name: ROWS_REJECTED, type: { name: 'BIGINT' } }], rows: [{ [col]: n, [ROWS_REJECTED]: rejected }] };
}

/** Tokens up to (not including) the first top-level word in `stop`. */
function until(c: Cursor, ...stop: string[]): Token[] {
  const out: Token[] = [];
  let depth = 0;
  while (!c.done()) {
    const t = c.peek()!;
    if (depth === 0 && isWord(t, ...stop)) break;
    if (isPunct(t, '(')) depth++;
    if (isPunct(t, ')')) depth--;
    out.push(t);
    c.pos++;
  }
  return out;
}

function alias(c: Cursor): string | undefined {
  c.accept('AS');
  const t = c.peek();
  if (!isIdent(t) || isWord(t, 'USING', 'ON')) return undefined;
  c.pos++;
  return t!.value;
}

/**
 * MERGE with a WHEN MATCHED clause: Dremio's copy-on-write plan (DmlCopyOnWritePlanGenerator
 * .getDmlQueryResultFromCopyOnWriteJoinPlan, also DmlPositionalMergeOnReadPlanGenerator) adds
 * IcebergDmlMergeDuplicateCheckTableFunction, which fails the job when one target row (file path +
 * row index) comes out of the join twice. Insert-only MERGE has no such check, as in Dremio.
 */
export async function checkMergeCardinality(tokens: readonly Token[], env: ExecEnv): Promise<void> {
  const c = new Cursor(tokens);
  c.expect('MERGE', 'INTO');
  const target = c.relation();
  const targetAlias = alias(c) ?? target.path![target.path!.length - 1]!;
  c.expect('USING');
  const source = isPunct(c.peek(), '(') ? `(${sqlOf(c.parenGroup())})` : c.relation().text;
  const sourceAlias = alias(c);
  c.expect('ON');
  const on = sqlOf(until(c, 'WHEN'));
  const whens = c.rest();
  const hasMatched = whens.some((t, i) => isWord(t, 'WHEN') && isWord(whens[i + 1], 'MATCHED'));
  if (!hasMatched) return;
  const from = `${target.text} AS ${quoteIdent(targetAlias)} JOIN ${source}${sourceAlias ? ` AS ${quoteIdent(sourceAlias)}` : ''} ON ${on}`;
  const r = await env.query(`SELECT count(*) FROM (SELECT 1 FROM ${from} GROUP BY ${quoteIdent(targetAlias)}.rowid HAVING count(*) > 1) AS dup`);
  if (Number(r.rows[0]?.[0] ?? 0) > 0) throw validationError('A target row matched more than once. Please update your query.');
}
