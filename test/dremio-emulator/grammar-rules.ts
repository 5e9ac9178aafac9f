// Statement shapes DuckDB runs but Dremio's parser refuses. The emulator hands most SQL to DuckDB, so
// without these checks a user model (or a cairn regression) written in DuckDB-only syntax would pass
// here and fail on the first real run. Each rule cites the production of Dremio's grammar it follows:
// dremio-oss 25.2 sabot/grammar/src/main/codegen/includes/*.ftl (the JavaCC extensions of Calcite's
// Parser.jj) and dac/ui-common/sql-grammar/DremioParser.g4 (the same grammar, generated, Calcite's part
// included). Only what is cheap and certain is checked; the rest of a statement's grammar is not.
//
// Dremio answers a parse failure with Calcite's SqlParseException text, `Encountered "<token>" at line
// L, column C.` followed by a "Was expecting one of" list (SqlExceptionHelper.parseError); the emulator
// gives the first sentence and, where the grammar allows few tokens, a short "Was expecting" of its own.
import { parseError, type DremioSqlError } from './errors.js';
import { type Token, isIdent, isPunct, isSignificant, isWord, tokenize } from './sql-tokenize.js';

interface Tok extends Token { readonly line: number; readonly column: number }

/** Significant tokens of the statement as sent, with 1-based line and column (Calcite's convention). */
function positioned(sql: string): Tok[] {
  const out: Tok[] = [];
  let line = 1;
  let column = 1;
  for (const t of tokenize(sql)) {
    if (isSignificant(t)) out.push({ ...t, line, column });
    for (const ch of t.text) {
      if (ch === '\n') { line++; column = 1; } else column++;
    }
  }
  return out;
}

function encountered(t: Tok | undefined, expecting?: string): DremioSqlError {
  const at = t ? `"${t.type === 'punct' ? t.text.slice(0, 1) : t.text}" at line ${t.line}, column ${t.column}` : '"<EOF>"';
  return parseError(`Encountered ${at}.${expecting ? ` Was expecting one of: ${expecting}.` : ''}`);
}

/** Index after a compound identifier starting at i (`a`, `"a"."b".c`), or i when there is none. */
function skipPath(ts: readonly Tok[], i: number): number {
  if (!isIdent(ts[i])) return i;
  let j = i + 1;
  while (isPunct(ts[j], '.') && isIdent(ts[j + 1])) j += 2;
  return j;
}

/** Index after a balanced "( ... )" starting at i. */
function skipParens(ts: readonly Tok[], i: number): number {
  let depth = 0;
  for (let j = i; j < ts.length; j++) {
    if (isPunct(ts[j], '(')) depth++;
    else if (isPunct(ts[j], ')') && --depth === 0) return j + 1;
  }
  return ts.length;
}

/** Top-level tokens (outside parentheses and CASE ... END), with their indexes. */
function topLevel(ts: readonly Tok[], from = 0): Array<[Tok, number]> {
  const out: Array<[Tok, number]> = [];
  let depth = 0;
  let cases = 0;
  for (let i = from; i < ts.length; i++) {
    const t = ts[i]!;
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
    else if (isWord(t, 'CASE')) cases++;
    else if (isWord(t, 'END') && cases > 0) cases--;
    else if (depth === 0 && cases === 0) out.push([t, i]);
  }
  return out;
}

/** `AT BRANCH|REF|REFERENCE <id>` (WriteableAtVersionSpec) at i: index after it, or i. */
function skipWriteableAt(ts: readonly Tok[], i: number): number {
  return isWord(ts[i], 'AT') && isWord(ts[i + 1], 'BRANCH', 'REF', 'REFERENCE') && isIdent(ts[i + 2]) ? i + 3 : i;
}

// Query syntax dbt-duckdb projects use that Dremio's grammar (Calcite's SqlSelect, DremioParser.g4
// selectItem / groupingElement / orderItem / expression2) does not have:
// - `* EXCLUDE (...)`, `* REPLACE (...)`: EXCLUDE / REPLACE are non-reserved, so Calcite reads them as
//   the star's alias and fails at the "(";
// - `GROUP BY ALL`, `ORDER BY ALL`: ALL is reserved and no grouping element / order item;
// - `a ILIKE b` as an operator: Dremio has the function ilike(a, b) only (ILIKE is no keyword). Unsure:
//   in a select list Calcite may read `ilike` as an alias and report the token after it;
// - `->` / `->>` (JSON arrows, lambdas): no such token; `-` then `>` fails at the ">";
// - `{'k': v}` struct literals: `{` opens only JDBC escapes ({fn ...}, {d '...'}) and MATCH_RECOGNIZE quantifiers.
function duckdbOnlyQuerySyntax(ts: readonly Tok[]): void {
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    const next = ts[i + 1];
    if (isPunct(t, '*') && isWord(next, 'EXCLUDE', 'REPLACE') && isPunct(ts[i + 2], '(')) throw encountered(ts[i + 2]);
    if (isWord(t, 'GROUP', 'ORDER') && isWord(next, 'BY') && isWord(ts[i + 2], 'ALL')) throw encountered(ts[i + 2]);
    if (isWord(t, 'ILIKE') && !isPunct(next, '(')) throw encountered(t);
    if (isPunct(t, '->')) throw encountered({ ...t, text: '>', column: t.column + 1 });
    if (isPunct(t, '{') && next?.type === 'string') throw encountered(t);
  }
}

/** Throws Dremio's parse error when the statement has a shape Dremio's grammar does not accept. */
export function checkGrammar(sql: string): void {
  const ts = positioned(sql);
  while (ts.length > 0 && isPunct(ts[ts.length - 1], ';')) ts.pop();
  // Calcite's `::` infix cast is not in Dremio's grammar (no such token in DremioLexer.g4; `:` is COLON,
  // used only in ROW/STRUCT types and JSON constructors): `x::int` fails at the first ':'.
  const cast = ts.find((t) => isPunct(t, '::'));
  if (cast) throw encountered(cast);
  duckdbOnlyQuerySyntax(ts);
  // ATVersionSpec (versionSupport.ftl) ends with a simple identifier and belongs to a table reference
  // (TableRef3 -> TableWithVersionContext): `t AT BRANCH b.col` fails at the '.'.
  const dotted = ts.findIndex((t, i) => isWord(t, 'AT') && isWord(ts[i + 1], 'BRANCH', 'REF', 'REFERENCE', 'TAG', 'COMMIT') && isIdent(ts[i + 2]) && isPunct(ts[i + 3], '.'));
  if (dotted >= 0) throw encountered(ts[dotted + 3]);
  const [a, b] = ts;
  if (isWord(a, 'CREATE') && isWord(b, 'VIEW', 'VDS')) createView(ts, 2);
  if (isWord(a, 'CREATE') && isWord(b, 'OR') && isWord(ts[2], 'REPLACE') && isWord(ts[3], 'VIEW', 'VDS')) createView(ts, 4);
  if (isWord(a, 'CREATE') && isWord(b, 'TABLE')) createTable(ts);
  if (isWord(a, 'DROP') && isWord(b, 'TABLE', 'VIEW', 'VDS')) dropDataset(ts);
  if (isWord(a, 'TRUNCATE')) truncate(ts);
  if (isWord(a, 'INSERT')) insert(ts);
  if (isWord(a, 'MERGE') && isWord(b, 'INTO')) merge(ts);
  if (isWord(a, 'ALTER') && isWord(b, 'TABLE')) alterTable(ts);
  if (isWord(a, 'COPY') && isWord(b, 'INTO')) copyInto(ts);
  if (isWord(a, 'INSERT', 'UPDATE', 'DELETE', 'MERGE')) {
    // No RETURNING clause on Dremio's DML (SqlInsertTable, SqlUpdateTable, SqlDeleteFromTable,
    // SqlMergeIntoTable in parserImpls.ftl). RETURNING is a non-reserved word, so after a FROM table Dremio
    // may read it as an alias and report the token after it; unsure, the emulator names RETURNING.
    const ret = topLevel(ts).find(([t]) => isWord(t, 'RETURNING'));
    if (ret) throw encountered(ret[0]);
  }
}

// parserImpls.ftl SqlCreateOrReplace: CREATE [OR REPLACE] (VIEW|VDS) <compound id> [(fields)]
// [AT REF|REFERENCE|BRANCH id] [ROW ACCESS POLICY ...] AS <query>. No IF NOT EXISTS (IF is reserved).
function createView(ts: readonly Tok[], i: number): void {
  if (!isIdent(ts[i]) || isWord(ts[i], 'IF')) throw encountered(ts[i]);
}

// parserImpls.ftl SqlCreateTable: CREATE TABLE [IF NOT EXISTS] name [(elements)] [AT BRANCH|REF x]
// [STRIPED|HASH|ROUNDROBIN] [PARTITION BY (transforms)] [DISTRIBUTE BY (ids)] [LOCALSORT BY (ids)]
// [CLUSTER BY (ids)] [TBLPROPERTIES (...)] [LOCATION '...'] [STORE AS (...)] [WITH SINGLE WRITER]
// [ROW ACCESS POLICY ...] [AS query]: each clause at most once, in this order. DISTRIBUTE, LOCALSORT and
// CLUSTER take ParseRequiredFieldList, plain column names (transforms are PARTITION BY's only).
const RESERVED_TRANSFORMS = ['YEAR', 'MONTH', 'DAY', 'HOUR', 'TRUNCATE', 'IDENTITY'];
const CTAS_CLAUSES = ['PARTITION', 'DISTRIBUTE', 'LOCALSORT', 'CLUSTER', 'TBLPROPERTIES', 'LOCATION', 'STORE', 'WITH', 'ROW'];
function createTable(ts: readonly Tok[]): void {
  let i = 2;
  if (isWord(ts[i], 'IF') && isWord(ts[i + 1], 'NOT') && isWord(ts[i + 2], 'EXISTS')) i += 3;
  i = skipPath(ts, i);
  if (isPunct(ts[i], '(')) {
    const end = skipParens(ts, i);
    columnTypes(ts.slice(i + 1, end - 1));
    i = end;
  }
  i = skipWriteableAt(ts, i);
  let last = -1;
  while (i < ts.length && !isWord(ts[i], 'AS')) {
    let t = ts[i]!;
    if (isWord(t, 'STRIPED', 'HASH', 'ROUNDROBIN')) {
      if (!isWord(ts[i + 1], 'PARTITION')) throw encountered(ts[i + 1], '"PARTITION"');
      t = ts[++i]!;
    }
    const k = t.type === 'word' ? CTAS_CLAUSES.indexOf(t.value.toUpperCase()) : -1;
    if (k < 0 || k <= last) throw encountered(t);
    last = k;
    i++;
    if (isWord(t, 'PARTITION', 'DISTRIBUTE', 'LOCALSORT', 'CLUSTER')) {
      if (!isWord(ts[i], 'BY')) throw encountered(ts[i], '"BY"');
      i++;
      if (!isPunct(ts[i], '(')) throw encountered(ts[i], '"("');
      const end = skipParens(ts, i);
      if (!isWord(t, 'PARTITION')) {
        // SimpleIdentifierCommaList: identifier (, identifier)*
        for (let j = i + 1; j < end - 1; j++) {
          // The transform names that are reserved words (YEAR, MONTH ...) fail as themselves, others at "(".
          const want = (j - i - 1) % 2 === 0 ? isIdent(ts[j]) && !isWord(ts[j], ...RESERVED_TRANSFORMS) : isPunct(ts[j], ',');
          if (!want) throw encountered(ts[j]);
        }
      }
      i = end;
    } else if (isWord(t, 'STORE')) {
      if (!isWord(ts[i], 'AS')) throw encountered(ts[i], '"AS"');
      i = skipParens(ts, i + 1);
    } else if (isWord(t, 'WITH')) {
      if (!isWord(ts[i], 'SINGLE') || !isWord(ts[i + 1], 'WRITER')) throw encountered(isWord(ts[i], 'SINGLE') ? ts[i + 1] : ts[i], isWord(ts[i], 'SINGLE') ? '"WRITER"' : '"SINGLE"');
      i += 2;
    } else if (isWord(t, 'TBLPROPERTIES')) {
      i = skipParens(ts, i);
    } else if (isWord(t, 'LOCATION')) {
      i++;
    } else {
      return; // ROW ACCESS POLICY: not checked further
    }
  }
}

// parserImpls.ftl SqlDropTable / SqlDropView: DROP TABLE|VIEW [IF EXISTS] <compound id>
// [AT REF|REFERENCE|BRANCH id], then the end: no CASCADE/RESTRICT, no list of names.
function dropDataset(ts: readonly Tok[]): void {
  let i = 2;
  if (isWord(ts[i], 'IF') && isWord(ts[i + 1], 'EXISTS')) i += 2;
  i = skipWriteableAt(ts, skipPath(ts, i));
  if (i < ts.length) throw encountered(ts[i], '"AT", "." or <EOF>');
}

// parserImpls.ftl SqlTruncateTable: TRUNCATE [TABLE] [IF EXISTS] <compound id> [AT BRANCH id], then the end.
function truncate(ts: readonly Tok[]): void {
  let i = isWord(ts[1], 'TABLE') ? 2 : 1;
  if (isWord(ts[i], 'IF') && isWord(ts[i + 1], 'EXISTS')) i += 2;
  i = skipPath(ts, i);
  if (isWord(ts[i], 'AT') && isWord(ts[i + 1], 'BRANCH') && isIdent(ts[i + 2])) i += 3;
  if (i < ts.length) throw encountered(ts[i], '"AT", "." or <EOF>');
}

// parserImpls.ftl SqlInsertTable: INSERT INTO <compound id> [AT BRANCH|REF x] [(columns)] <query>:
// no INSERT OR REPLACE/IGNORE, BY NAME, DEFAULT VALUES, ON CONFLICT (DuckDB's).
function insert(ts: readonly Tok[]): void {
  if (!isWord(ts[1], 'INTO')) throw encountered(ts[1], '"INTO"');
  let i = skipWriteableAt(ts, skipPath(ts, 2));
  if (isPunct(ts[i], '(') && !isWord(ts[i + 1], 'SELECT', 'WITH', 'VALUES') && !isPunct(ts[i + 1], '(')) i = skipParens(ts, i);
  if (!(isWord(ts[i], 'SELECT', 'WITH', 'VALUES', 'TABLE') || isPunct(ts[i], '('))) throw encountered(ts[i], '"SELECT", "WITH", "VALUES", "("');
  const conflict = topLevel(ts, i).find(([t, j]) => isWord(t, 'ON') && isWord(ts[j + 1], 'CONFLICT'));
  if (conflict) throw encountered(conflict[0]);
}

// parserImpls.ftl SqlMergeIntoTable + DremioWhenMatchedClause / DremioWhenNotMatchedClause: at most
// `WHEN MATCHED THEN UPDATE SET ...` followed by at most `WHEN NOT MATCHED THEN INSERT ...`; no AND
// conditions, no DELETE action, no BY SOURCE/TARGET, no other order (DuckDB accepts all of those).
function merge(ts: readonly Tok[]): void {
  const usingAt = topLevel(ts).find(([t]) => isWord(t, 'USING'))?.[1] ?? 0;
  const whens = topLevel(ts, usingAt).filter(([t]) => isWord(t, 'WHEN')).map(([, j]) => j);
  let sawMatched = false;
  for (const [n, j] of whens.entries()) {
    const notMatched = isWord(ts[j + 1], 'NOT');
    const shape = notMatched ? ['NOT', 'MATCHED', 'THEN', 'INSERT'] : ['MATCHED', 'THEN', 'UPDATE', 'SET'];
    const k = shape.findIndex((w, d) => !isWord(ts[j + 1 + d], w));
    if (k >= 0) throw encountered(ts[j + 1 + k], `"${shape[k]}"`);
    if ((!notMatched && n > 0) || (notMatched && n > (sawMatched ? 1 : 0))) throw encountered(ts[j], '<EOF>');
    sawMatched ||= !notMatched;
  }
}

// SqlHandlerUtil.checkInvalidType (CREATE TABLE (cols), ADD COLUMNS): a type whose name is not one of
// Calcite's SqlTypeName fails, after parsing, as a PARSE ERROR "Invalid column type [`text`] specified
// for column [c]." (the type as Calcite prints it: backquoted as written, as in dremio-oss's own
// TestAlterTableChangeColumn). TEXT, STRING, BOOL, BLOB, JSON, UUID, HUGEINT ... are DuckDB's.
// Parser synonyms (INT, DEC, NUMERIC, CHARACTER, DOUBLE PRECISION) become SqlTypeNames; Dremio's
// STRUCT / LIST / MAP / ROW / ARRAY types are complex and not checked here.
const TYPE_WORDS = new Set(['BOOLEAN', 'TINYINT', 'SMALLINT', 'INTEGER', 'INT', 'BIGINT', 'DECIMAL', 'DEC', 'NUMERIC', 'FLOAT', 'REAL',
  'DOUBLE', 'DATE', 'TIME', 'TIMESTAMP', 'CHAR', 'CHARACTER', 'VARCHAR', 'BINARY', 'VARBINARY', 'INTERVAL',
  'STRUCT', 'ROW', 'LIST', 'ARRAY', 'MAP']);
function columnTypes(defs: readonly Tok[]): void {
  let depth = 0;
  let item: Tok[] = [];
  const check = () => {
    const [name, type] = item;
    item = [];
    if (!name || !type || isWord(type, 'MASKING') || isWord(type, 'NOT', 'NULL')) return;
    if (type.type === 'qident' || (type.type === 'word' && !TYPE_WORDS.has(type.value.toUpperCase()))) {
      throw parseError(`Invalid column type [\`${type.value}\`] specified for column [${name.value}].`);
    }
  };
  for (const t of defs) {
    if (isPunct(t, '(')) depth++;
    if (isPunct(t, ')')) depth--;
    if (depth === 0 && isPunct(t, ',')) check();
    else item.push(t);
  }
  check();
}

// alter.ftl SqlAccel (ALTER TABLE): ADD must be followed by COLUMNS (list), PARTITION FIELD, PRIMARY KEY
// or ROW ACCESS POLICY: `ADD COLUMN c t` (DuckDB, Postgres) is refused.
function alterTable(ts: readonly Tok[]): void {
  const i = skipPath(ts, 2);
  if (isWord(ts[i], 'ADD') && !isWord(ts[i + 1], 'COLUMNS', 'PARTITION', 'PRIMARY', 'ROW')) {
    throw encountered(ts[i + 1], '"COLUMNS", "PARTITION", "PRIMARY", "ROW"');
  }
  if (isWord(ts[i], 'ADD') && isWord(ts[i + 1], 'COLUMNS') && isPunct(ts[i + 2], '(')) columnTypes(ts.slice(i + 3, skipParens(ts, i + 2) - 1));
}

// ingestion.ftl SqlCopyInto: COPY INTO <table> [AT ...] [(mappings)] FROM '<location>' | (SELECT ... FROM
// '<location>') [FILES (...) | REGEX '...'] [FILE_FORMAT <literal>] [(options)], in this order; an
// option is one of ParseCopyIntoOptions' names followed by a literal, or NULL_IF (literal, ...).
const COPY_OPTIONS = ['DATE_FORMAT', 'TIME_FORMAT', 'TIMESTAMP_FORMAT', 'TRIM_SPACE', 'RECORD_DELIMITER', 'FIELD_DELIMITER',
  'QUOTE_CHAR', 'ESCAPE_CHAR', 'EMPTY_AS_NULL', 'ON_ERROR', 'EXTRACT_HEADER', 'SKIP_LINES'];
const isLiteral = (t: Tok | undefined): boolean => t !== undefined && (t.type === 'string' || t.type === 'number' || isWord(t, 'TRUE', 'FALSE', 'NULL'));
function copyInto(ts: readonly Tok[]): void {
  let i = skipPath(ts, 2);
  if (isWord(ts[i], 'AT') && isIdent(ts[i + 2])) i += 3;
  if (isPunct(ts[i], '(')) i = skipParens(ts, i);
  if (!isWord(ts[i], 'FROM')) throw encountered(ts[i], '"FROM"');
  i++;
  if (isPunct(ts[i], '(')) i = skipParens(ts, i);
  else if (ts[i]?.type === 'string') i++;
  else throw encountered(ts[i], '<QUOTED_STRING>, "("');
  if (isWord(ts[i], 'FILES') && isPunct(ts[i + 1], '(')) i = skipParens(ts, i + 1);
  else if (isWord(ts[i], 'REGEX') && ts[i + 1]?.type === 'string') i += 2;
  if (isWord(ts[i], 'FILE_FORMAT')) {
    if (!isLiteral(ts[i + 1])) throw encountered(ts[i + 1]);
    i += 2;
  }
  if (isPunct(ts[i], '(')) {
    const end = skipParens(ts, i);
    let j = i + 1;
    while (j < end - 1) {
      const name = ts[j]!;
      if (isWord(name, 'NULL_IF')) {
        if (!isPunct(ts[j + 1], '(')) throw encountered(ts[j + 1], '"("');
        j = skipParens(ts, j + 1);
      } else if (isWord(name, ...COPY_OPTIONS)) {
        if (!isLiteral(ts[j + 1])) throw encountered(ts[j + 1]);
        j += 2;
      } else {
        throw encountered(name);
      }
      if (isPunct(ts[j], ',')) j++;
      else if (j < end - 1) throw encountered(ts[j], '",", ")"');
    }
    i = end;
  }
  if (i < ts.length) throw encountered(ts[i], '<EOF>');
}

/** Dremio's answer to more than one statement in a request (SqlConverter.parseSingleStatementImpl). */
export function checkSingleStatement(sql: string): void {
  const ts = positioned(sql);
  const parts: number[] = [0];
  for (const t of ts) {
    if (isPunct(t, ';')) parts.push(0);
    else parts[parts.length - 1] = parts[parts.length - 1]! + 1;
  }
  const n = parts.filter((p) => p > 0).length;
  if (n > 1) throw parseError(`Dremio only supports single statement execution. Unable to execute the given query with ${n} statements: ${sql}`);
}
