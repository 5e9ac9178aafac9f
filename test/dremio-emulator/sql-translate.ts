// Translates the Dremio SQL the adapter emits into DuckDB SQL over the emulator's namespace mapping
// (see namespace.ts). Only identifier chains in *relation positions* are rewritten, so column
// references such as DBT_INTERNAL_SOURCE."a" stay intact. Statement-level handling (CTAS clauses,
// COPY INTO, CREATE FOLDER ...) lives in sql-statements.ts; this file only does the token rewriting.
import { unsupported, parseError } from './errors.js';
import { toDuckSql, INTERNAL_SCHEMA } from './namespace.js';
import { type Token, tokenize, isSignificant, isIdent, isWord, isPunct } from './sql-tokenize.js';

export interface AtRef { readonly path: readonly string[]; readonly type: string; readonly value: string }

export interface TranslateOptions {
  /** The `context` of the REST request: unqualified names resolve inside it. */
  readonly context?: readonly string[];
  /** True if a dataset exists at this path; used to decide whether a bare name is a CTE or a dataset. */
  readonly exists: (path: readonly string[]) => boolean;
  /** Maps a path to where it lives on the branch the statement uses (branches.ts); identity when absent. */
  readonly version?: (path: readonly string[], at?: { type: string; value: string }) => readonly string[];
}

export interface Translated {
  /** Significant tokens; every Dremio path became one `relation` token holding DuckDB text. */
  readonly tokens: Token[];
  /** Paths in relation positions, in order of appearance. */
  readonly relations: Array<{ path: readonly string[]; index: number }>;
  /** `AT BRANCH x` style clauses that were stripped (the path was resolved on that branch via `version`). */
  readonly atRefs: AtRef[];
}

// Keywords after which an identifier chain names a relation.
const TRIGGERS = new Set(['FROM', 'JOIN', 'INTO', 'USING', 'UPDATE', 'TABLE', 'VIEW', 'FOLDER', 'TRUNCATE', 'PDS', 'VDS', 'EXISTS']);
// FROM inside these function calls is not a relation (EXTRACT(YEAR FROM x.ts), TRIM(BOTH ' ' FROM x.s)).
const FROM_FUNCTIONS = new Set(['EXTRACT', 'TRIM', 'SUBSTRING', 'SUBSTR', 'OVERLAY', 'POSITION']);
// Words that set the current clause of a (parenthesised) query level; a comma in FROM starts a new relation.
const CLAUSES = new Set(['SELECT', 'FROM', 'WHERE', 'GROUP', 'ORDER', 'HAVING', 'LIMIT', 'JOIN', 'ON', 'UNION', 'WINDOW', 'QUALIFY', 'SET', 'VALUES', 'USING', 'OFFSET', 'EXCEPT', 'INTERSECT']);
const AT_KINDS = new Set(['BRANCH', 'REF', 'REFERENCE', 'TAG', 'COMMIT']);
const TIME_UNITS = new Set(['MICROSECOND', 'MILLISECOND', 'SECOND', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR']);

export function translate(sql: string, opts: TranslateOptions): Translated {
  const input = tokenize(sql).filter(isSignificant);
  const tokens: Token[] = [];
  const relations: Array<{ path: readonly string[]; index: number }> = [];
  const atRefs: AtRef[] = [];
  const clause: string[] = [''];
  const parenFn: boolean[] = [false];
  let i = 0;
  while (i < input.length) {
    const t = input[i]!;
    if (isPunct(t, '(')) {
      const prev = tokens[tokens.length - 1];
      parenFn.push(prev !== undefined && isWord(prev, ...FROM_FUNCTIONS));
      clause.push('');
    } else if (isPunct(t, ')')) {
      if (parenFn.length > 1) { parenFn.pop(); clause.pop(); }
    } else if (t.type === 'word' && CLAUSES.has(t.value.toUpperCase())) {
      clause[clause.length - 1] = t.value.toUpperCase();
    }
    // Dremio's ilike(a, b) and convert_timezone([src,] dst, ts) functions have no DuckDB twin;
    // macros stand in (system-tables.ts).
    if (isWord(t, 'ILIKE', 'CONVERT_TIMEZONE') && isPunct(input[i + 1], '(')) {
      const name = `dremio_${t.value.toLowerCase()}`;
      tokens.push({ type: 'word', text: `"${INTERNAL_SCHEMA}".${name}`, value: name });
      i++;
      continue;
    }
    // TIMESTAMPADD/TIMESTAMPDIFF(unit, ...): Calcite's (Dremio's) functions take the unit as a bare
    // keyword (docs.dremio.com SQL functions TIMESTAMPADD, TIMESTAMPDIFF; Calcite TimeUnit, SQL_TSI_*
    // aliases). DuckDB has neither: macros stand in (system-tables.ts), the unit passed as a string.
    if (isWord(t, 'TIMESTAMPADD', 'TIMESTAMPDIFF') && isPunct(input[i + 1], '(')) {
      const unit = input[i + 2];
      const name = unit?.type === 'word' ? unit.value.toUpperCase().replace(/^SQL_TSI_/, '').replace(/^FRAC_SECOND$/, 'MICROSECOND') : '';
      if (!TIME_UNITS.has(name) || !isPunct(input[i + 3], ',')) throw parseError(`Encountered "${unit?.text ?? '<EOF>'}" after "${t.text}(": expected a time unit (${[...TIME_UNITS].join(', ')})`);
      tokens.push({ type: 'word', text: `"${INTERNAL_SCHEMA}".dremio_${t.value.toLowerCase()}`, value: `dremio_${t.value.toLowerCase()}` }, input[i + 1]!,
        { type: 'string', text: `'${name}'`, value: name }, input[i + 3]!);
      parenFn.push(false);
      clause.push('');
      i += 4;
      continue;
    }
    tokens.push(t);
    i++;
    if (!startsRelation(t, tokens, clause, parenFn)) continue;
    const chain = readChain(input, i, isPunct(t, ',') || isWord(t, 'FROM', 'JOIN', 'USING'));
    if (!chain) continue;
    i = chain.end;
    const named = chain.parts.length === 1 ? resolveSingle(chain.parts[0]!, tokens, opts) : chain.parts;
    // Versioned-catalog reference after the path: AT BRANCH b | AT REF r | AT TAG t | AT COMMIT "h".
    let at: AtRef | undefined;
    if (isWord(input[i], 'AT') && input[i + 1]?.type === 'word') {
      const kind = input[i + 1]!.value.toUpperCase();
      if (AT_KINDS.has(kind)) {
        const v = input[i + 2];
        if (!v || !(isIdent(v) || v.type === 'string')) throw parseError(`Encountered "AT ${kind}" without a reference name`);
        at = { path: named ?? chain.parts, type: kind === 'REFERENCE' ? 'REF' : kind, value: v.value };
        atRefs.push(at);
        i += 3;
      } else if (kind === 'SNAPSHOT' || kind === 'TIMESTAMP') {
        throw unsupported(`Time travel (AT ${kind})`);
      }
    }
    const path = named && opts.version ? opts.version(named, at) : named;
    if (path) {
      relations.push({ path, index: tokens.length });
      tokens.push({ type: 'relation', text: toDuckSql(path), value: path.join('.'), path });
    } else {
      tokens.push(...input.slice(chain.start, chain.end));
    }
  }
  return { tokens, relations, atRefs };
}

function startsRelation(t: Token, out: readonly Token[], clause: readonly string[], parenFn: readonly boolean[]): boolean {
  if (isPunct(t, ',')) return clause[clause.length - 1] === 'FROM';
  if (t.type !== 'word' || !TRIGGERS.has(t.value.toUpperCase())) return false;
  const kw = t.value.toUpperCase();
  const before = out[out.length - 2];
  if (kw === 'FROM') return !parenFn[parenFn.length - 1] && !isWord(before, 'DISTINCT');
  if (kw === 'EXISTS') return isWord(before, 'IF') || isWord(before, 'NOT');
  if (kw === 'TABLE' || kw === 'VIEW') return !isWord(before, 'ADD', 'MATERIALIZED');
  return true;
}

interface Chain { parts: string[]; start: number; end: number }

// Bare words that can follow a trigger keyword without being a name (THEN UPDATE SET, FROM (SELECT ...)).
const NOT_A_NAME = new Set(['SELECT', 'LATERAL', 'UNNEST', 'VALUES', 'WITH', 'IF', 'NOT', 'SET', 'AS', 'ON', 'WHERE', 'BY', 'DEFAULT', 'TABLE']);

function readChain(input: readonly Token[], start: number, isRead: boolean): Chain | undefined {
  const parts: string[] = [];
  let i = start;
  for (;;) {
    const t = input[i];
    if (!isIdent(t)) return undefined;
    // A bare keyword here (e.g. FROM (SELECT ...), JOIN LATERAL) is not a path.
    if (t!.type === 'word' && parts.length === 0 && NOT_A_NAME.has(t!.value.toUpperCase())) return undefined;
    parts.push(t!.value);
    i++;
    if (!isPunct(input[i], '.')) break;
    i++;
  }
  // In a read position name( ... ) is a table function call (read_csv(...)), not a relation; after
  // INTO/TABLE a parenthesis opens a column list.
  if (isRead && isPunct(input[i], '(')) return undefined;
  return { parts, start, end: i };
}

function resolveSingle(name: string, out: readonly Token[], opts: TranslateOptions): readonly string[] | undefined {
  if (!opts.context || opts.context.length === 0) return undefined;
  const path = [...opts.context, name];
  // As a write target the name always resolves in the context; as a read only when such a dataset
  // exists, because it may equally be a CTE name.
  const isTarget = isWord(out[out.length - 1], 'INTO', 'TABLE', 'VIEW', 'FOLDER', 'EXISTS', 'UPDATE');
  return isTarget || opts.exists(path) ? path : undefined;
}
