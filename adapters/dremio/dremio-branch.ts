// Views on a versioned (Nessie) catalog must pin the version of every table they read, or Dremio
// fails with "Version context for table X must be specified using AT SQL syntax". Pure SQL rewrite:
// every fully quoted path under the catalog in the view's query gets `AT BRANCH "<branch>"`.
import { quoteIdent } from '../shared/ansi.js';

const QUOTED = '"(?:[^"]|"")*"';

export function pinViewToBranch(sql: string, catalog: string, branch: string): string {
  const m = /^(CREATE OR REPLACE VIEW\s+(?:"(?:[^"]|"")*"\.?)+\s+AS\b)([\s\S]*)$/.exec(sql);
  if (!m) return sql;
  const path = new RegExp(`${escape(quoteIdent(catalog))}(?:\\.${QUOTED})+`, 'g');
  // Greedy match of the whole path, then leave references that already name a version alone. Only
  // relations take a version (Dremio's grammar: TableRef3 -> TableWithVersionContext); a qualified
  // column ("cat"."f"."t".id, or a fully quoted one in SELECT / WHERE) would become a parse error.
  return m[1] + m[2]!.replace(path, (p, offset: number, whole: string) =>
    /^\s*(AT\s|\.)/i.test(whole.slice(offset + p.length)) || !inRelationPosition(whole, offset) ? p : `${p} AT BRANCH ${quoteIdent(branch)}`);
}

// ON and USING belong to a join inside the FROM list, so the walk goes past them.
const CLAUSE = /^(SELECT|FROM|JOIN|WHERE|GROUP|ORDER|HAVING|SET|VALUES|LIMIT|UNION|QUALIFY|WINDOW)$/i;

/** True when the text before `offset` puts a relation there: right after FROM / JOIN, or after a comma of a FROM list. */
function inRelationPosition(text: string, offset: number): boolean {
  const before = text.slice(0, offset).replace(/\s+$/, '');
  if (/\b(FROM|JOIN)$/i.test(before)) return true;
  if (!before.endsWith(',')) return false;
  // Walk back to the clause keyword of this parenthesis level.
  let depth = 0;
  for (const w of before.slice(0, -1).match(/"(?:[^"]|"")*"|'(?:[^']|'')*'|[A-Za-z_]+|[()]/g)!.reverse()) {
    if (w === ')') depth++;
    else if (w === '(') { if (depth-- === 0) return false; }
    else if (depth === 0 && CLAUSE.test(w)) return /^(FROM|JOIN)$/i.test(w);
  }
  return false;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Write-audit-publish statements (docs.dremio.com .../sql/commands/nessie; dremio-sql.md §2.5). The
// branch DDL names everything explicitly, so it is sent without REST `references`.
export const createBranchSql = (catalog: string, name: string, from: string): string =>
  `CREATE BRANCH IF NOT EXISTS ${quoteIdent(name)} AT BRANCH ${quoteIdent(from)} IN ${quoteIdent(catalog)}`;

export const mergeBranchSql = (catalog: string, name: string, into: string): string =>
  `MERGE BRANCH ${quoteIdent(name)} INTO ${quoteIdent(into)} IN ${quoteIdent(catalog)}`;

export const dropBranchSql = (catalog: string, name: string): string =>
  `DROP BRANCH ${quoteIdent(name)} FORCE IN ${quoteIdent(catalog)}`;

/** The view's name path from its CREATE OR REPLACE VIEW statement (to replay each view once). */
export const viewKey = (sql: string): string | undefined =>
  /^\s*CREATE OR REPLACE VIEW\s+((?:"(?:[^"]|"")*"\.?)+)\s+AS\b/i.exec(sql)?.[1];
