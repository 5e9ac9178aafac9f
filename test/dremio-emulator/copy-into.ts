// COPY INTO <table> FROM '@source/dir/' [FILES (...) | REGEX '...'] [FILE_FORMAT 'csv'|'json'|'parquet'] [(options)]
// `@source` maps to a local directory (EmulatorOptions.storageRoots). Files are read with DuckDB's
// readers as text/raw values and CAST to the target column types, matching columns by name like Dremio.
import { readdirSync, statSync } from 'node:fs';
import { join, relative, extname } from 'node:path';
import { validationError, parseError, DremioSqlError, fromDuckDbError } from './errors.js';
import { displayPath, toDuckSql } from './namespace.js';
import type { ResultSet } from './result-set.js';
import { dmlResult } from './dml-rules.js';
import { Cursor } from './sql-cursor.js';
import type { ExecEnv } from './sql-env.js';
import { type Token, isPunct, quoteIdent, quoteString } from './sql-tokenize.js';

type Format = 'csv' | 'json' | 'parquet';
type OnError = 'abort' | 'continue' | 'skip_file';

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    // Dremio ignores hidden and underscore-prefixed files (e.g. _SUCCESS).
    if (e.name.startsWith('.') || e.name.startsWith('_')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out.sort();
}

function parseOptions(group: readonly Token[]): Map<string, string | string[]> {
  const opts = new Map<string, string | string[]>();
  const c = new Cursor(group);
  while (!c.done()) {
    const name = c.peek()!;
    c.pos++;
    if (isPunct(c.peek(), '(')) opts.set(name.value.toUpperCase(), c.parenGroup().filter((t) => t.type === 'string').map((t) => t.value));
    else { opts.set(name.value.toUpperCase(), c.peek()?.value ?? ''); c.pos++; }
    if (isPunct(c.peek(), ',')) c.pos++;
  }
  return opts;
}

function reader(format: Format, file: string, opts: Map<string, string | string[]>, lenient: boolean): string {
  const f = quoteString(file);
  if (format === 'parquet') return `read_parquet(${f})`;
  if (format === 'json') return `read_json(${f}, format = 'auto'${lenient ? ', ignore_errors = true' : ''})`;
  const args = [f, 'all_varchar = true', `header = ${opts.get('EXTRACT_HEADER') === 'false' ? 'false' : 'true'}`];
  const str = (k: string): string | undefined => { const v = opts.get(k); return typeof v === 'string' ? v : undefined; };
  if (str('FIELD_DELIMITER')) args.push(`delim = ${quoteString(str('FIELD_DELIMITER')!)}`);
  if (str('QUOTE_CHAR')) args.push(`quote = ${quoteString(str('QUOTE_CHAR')!)}`);
  if (str('ESCAPE_CHAR')) args.push(`escape = ${quoteString(str('ESCAPE_CHAR')!)}`);
  if (str('SKIP_LINES')) args.push(`skip = ${Number(str('SKIP_LINES'))}`);
  const nullIf = opts.get('NULL_IF');
  if (Array.isArray(nullIf)) args.push(`nullstr = [${nullIf.map(quoteString).join(', ')}]`);
  if (lenient) args.push('ignore_errors = true');
  return `read_csv(${args.join(', ')})`;
}

export async function copyInto(c: Cursor, env: ExecEnv): Promise<ResultSet> {
  const target = c.relation().path!;
  c.expect('FROM');
  const loc = c.peek();
  if (loc?.type !== 'string' || !loc.value.startsWith('@')) throw c.unexpected("a storage location '@source/path'");
  c.pos++;
  let fileList: string[] | undefined;
  let regex: RegExp | undefined;
  let format: Format | undefined;
  let opts = new Map<string, string | string[]>();
  while (!c.done()) {
    if (c.accept('FILES')) fileList = c.parenGroup().filter((t) => t.type === 'string').map((t) => t.value);
    else if (c.accept('REGEX')) { regex = new RegExp(c.peek()?.value ?? ''); c.pos++; }
    else if (c.accept('FILE_FORMAT')) {
      const v = (c.peek()?.value ?? '').toLowerCase();
      if (v !== 'csv' && v !== 'json' && v !== 'parquet') throw parseError(`Unsupported file format '${v}' for COPY INTO.`);
      format = v;
      c.pos++;
    } else if (isPunct(c.peek(), '(')) opts = parseOptions(c.parenGroup());
    else throw c.unexpected('FILES, REGEX, FILE_FORMAT or an option list');
  }
  const onError = (String(opts.get('ON_ERROR') ?? 'abort').toLowerCase()) as OnError;
  if (!['abort', 'continue', 'skip_file'].includes(onError)) throw validationError(`Invalid ON_ERROR option '${onError}'.`);

  const ds = env.catalog.dataset(target);
  if (ds?.type !== 'TABLE') throw validationError(`Table [${displayPath(target)}] not found`);
  const [source, ...rest] = loc.value.slice(1).split('/');
  const rootKey = Object.keys(env.storageRoots).find((k) => k.toLowerCase() === source!.toLowerCase());
  if (!rootKey) throw validationError(`Storage location [@${source}] not found.`);
  const base = join(env.storageRoots[rootKey]!, ...rest.filter((p) => p.length > 0));
  let files: string[] = [];
  try {
    files = statSync(base).isDirectory() ? listFiles(base) : [base];
  } catch { files = []; }
  if (fileList) files = fileList.map((f) => join(base, f)).filter((f) => files.includes(f));
  if (regex) files = files.filter((f) => regex!.test(relative(base, f)));
  if (format) files = files.filter((f) => extname(f).toLowerCase() === `.${format}` || extname(f) === '');
  if (files.length === 0) throw validationError(`No files were found at location [${loc.value}] matching the COPY INTO criteria.`);

  const tableCols = (await env.query(`DESCRIBE ${toDuckSql(target)}`)).rows.map((r) => ({ name: String(r[0]), type: String(r[1]) }));
  let inserted = 0;
  let rejected = 0;
  await env.run('BEGIN TRANSACTION');
  try {
    for (const file of files) {
      const fmt = format ?? (extname(file).slice(1).toLowerCase() as Format);
      if (!['csv', 'json', 'parquet'].includes(fmt)) throw validationError(`Cannot infer the file format of [${file}]; add FILE_FORMAT.`);
      try {
        const src = reader(fmt, file, opts, onError === 'continue');
        const fileCols = (await env.query(`DESCRIBE SELECT * FROM ${src}`)).rows.map((r) => String(r[0]));
        const matched = tableCols.filter((tc) => fileCols.some((fc) => fc.toLowerCase() === tc.name.toLowerCase()));
        if (matched.length === 0) throw validationError(`No column name matches target schema [${displayPath(target)}] in file [${file}].`);
        const srcCol = (tc: { name: string }): string => quoteIdent(fileCols.find((fc) => fc.toLowerCase() === tc.name.toLowerCase())!);
        const okRow = matched.map((tc) => `(${srcCol(tc)} IS NULL OR TRY_CAST(${srcCol(tc)} AS ${tc.type}) IS NOT NULL)`).join(' AND ');
        const total = Number((await env.query(`SELECT count(*) FROM ${src}`)).rows[0]![0]);
        const bad = Number((await env.query(`SELECT count(*) FROM ${src} WHERE NOT (${okRow})`)).rows[0]![0]);
        if (bad > 0 && onError === 'skip_file') { rejected += total; continue; }
        const cast = onError === 'continue' ? 'TRY_CAST' : 'CAST';
        const where = onError === 'continue' ? ` WHERE ${okRow}` : '';
        await env.run(`INSERT INTO ${toDuckSql(target)} (${matched.map((tc) => quoteIdent(tc.name)).join(', ')})
          SELECT ${matched.map((tc) => `${cast}(${srcCol(tc)} AS ${tc.type})`).join(', ')} FROM ${src}${where}`);
        inserted += total - (onError === 'continue' ? bad : 0);
        rejected += onError === 'continue' ? bad : 0;
      } catch (err) {
        if (onError === 'abort' || err instanceof DremioSqlError) throw err;
        rejected += 1; // an unreadable file under continue/skip_file is skipped whole
      }
    }
    await env.run('COMMIT');
  } catch (err) {
    await env.run('ROLLBACK');
    throw fromDuckDbError(err);
  }
  env.catalog.touch(target);
  return dmlResult('COPY', inserted, onError === 'abort' ? undefined : rejected);
}
