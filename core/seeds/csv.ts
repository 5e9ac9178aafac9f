// CSV reading for seeds (RFC 4180 as dbt's agate reads it): quoted fields with embedded delimiters,
// quotes and newlines, CRLF or LF line ends, a UTF-8 BOM, empty fields as NULL. A row with the
// wrong number of fields is an error naming the file and line. Then dbt's type inference.
import type { SeedColumnKind } from '../../adapters/adapter.js';
import { CairnError } from '../errors.js';

export interface ParsedCsv {
  header: string[];
  rows: Array<Array<string | null>>;
  hasBom: boolean;
}

/**
 * Longest row a seed may have, in characters (at most 3 MiB of UTF-8). Seeds are small reference
 * data; a longer row is a mistake (or data that belongs in a source), and DuckDB's read_csv would
 * fail on it with an error quoting kilobytes of the row (the adapter sets `max_line_size` above this).
 */
export const MAX_SEED_ROW_CHARS = 1 << 20;

export function parseCsv(text: string, file: string, delimiter = ','): ParsedCsv {
  const hasBom = text.charCodeAt(0) === 0xfeff;
  const s = hasBom ? text.slice(1) : text;
  const d = delimiter.replace(/[.*+?^${}()|[\]\\\-]/g, '\\$&');
  // One field and what ends it: a quoted field ("" is a quote) or a bare one, then the delimiter,
  // a line end, or the end of the text. Sticky, so the scan never backtracks across fields.
  const re = new RegExp(`(?:"((?:[^"]+|"")*)"|([^"${d}\\r\\n]*))(${d}|\\r\\n|\\n|\\r|$)`, 'y');
  const rows: Array<Array<string | null>> = [];
  let header: string[] | undefined;
  let row: Array<string | null> = [];
  let line = 1;
  let rowLine = 1;
  let pos = 0;
  let rowStart = 0;
  const n = s.length;
  while (pos < n) {
    re.lastIndex = pos;
    let m: RegExpExecArray | null;
    try {
      m = re.exec(s);
    } catch (e) {
      // A field of millions of `""` pairs exhausts the regex engine's stack.
      if (!(e instanceof RangeError)) throw e;
      throw tooLong(file, rowLine, n - rowStart, row.length + 1);
    }
    if (!m || (m.index === pos && m[0] === '' && pos < n)) {
      const unclosed = s.charCodeAt(pos) === 34 || (m === null && s.indexOf('"', pos) >= 0 && s.lastIndexOf('\n', s.indexOf('"', pos)) < pos);
      throw new CairnError('CONFIG_INVALID', unclosed ? 'seed CSV has a quoted field that is never closed' : 'seed CSV has a stray quote or text after a closing quote', {
        file, line, hint: 'a quoted field must end at the delimiter or line end; double quotes inside a field ("")',
      });
    }
    const quotedVal = m[1];
    let value: string | null;
    if (quotedVal !== undefined) {
      value = quotedVal.includes('""') ? quotedVal.replace(/""/g, '"') : quotedVal;
      if (quotedVal.includes('\n')) line += quotedVal.split('\n').length - 1;
    } else value = m[2] === '' ? null : m[2]!;
    row.push(value);
    pos = re.lastIndex;
    const sep = m[3]!;
    if (pos - rowStart > MAX_SEED_ROW_CHARS) throw tooLong(file, rowLine, pos - rowStart, row.length);
    if (sep === delimiter) continue;
    // End of a row.
    if (!(row.length === 1 && row[0] === null)) {
      if (!header) header = row.map((x) => (x ?? '').trim());
      else {
        if (row.length !== header.length) {
          throw new CairnError('CONFIG_INVALID', `seed CSV row has ${row.length} field${row.length === 1 ? '' : 's'} but the header has ${header.length}`, {
            file, line: rowLine, hint: 'quote fields that contain the delimiter ("a, b") and check for a missing or extra delimiter on that line',
          });
        }
        rows.push(row);
      }
    }
    row = [];
    line++;
    rowLine = line;
    rowStart = pos;
    if (sep === '') break;
  }
  if (!header || header.length === 0 || header.every((h) => h === '')) {
    throw new CairnError('CONFIG_INVALID', 'seed CSV is empty: it needs a header row', { file, line: 1 });
  }
  header.forEach((h, idx) => {
    if (h === '') throw new CairnError('CONFIG_INVALID', `seed CSV header has an empty column name (column ${idx + 1})`, { file, line: 1 });
  });
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h.toLowerCase())) throw new CairnError('CONFIG_INVALID', `seed CSV header names column \`${h}\` twice`, { file, line: 1 });
    seen.add(h.toLowerCase());
  }
  return { header, rows, hasBom };
}

function tooLong(file: string, line: number, chars: number, field: number): CairnError {
  return new CairnError('CONFIG_INVALID', `seed CSV row is ${chars > MAX_SEED_ROW_CHARS ? `${(chars / (1 << 20)).toFixed(1)} MB` : 'too long'} (at field ${field}); a seed row may be at most 1 MB`, {
    file, line, hint: 'seeds are for small reference data: load large files as a source or with read_csv() in a model',
  });
}

const INT = /^[-+]?\d+$/;
const DEC = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const BOOL = /^(true|false|yes|no|t|f)$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TS = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** The narrowest kind every non-null value fits, as dbt's agate TypeTester picks it. */
export function inferKinds(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | null>>): SeedColumnKind[] {
  return header.map((_h, ci) => {
    let int = true, big = true, dec = true, bool = true, date = true, ts = true, any = false;
    for (const r of rows) {
      const v = r[ci];
      if (v === null || v === undefined) continue;
      any = true;
      const t = v.trim();
      if (big || int) {
        const isInt = INT.test(t);
        if (big && !(isInt && (t.length < 18 || (BigInt(t) < 2n ** 63n && BigInt(t) >= -(2n ** 63n))))) big = false;
        if (int && !(isInt && t.length < 12 && Math.abs(Number(t)) < 2 ** 31)) int = false;
      }
      if (dec && !DEC.test(t)) dec = false;
      if (bool && !BOOL.test(t)) bool = false;
      if (date && !(DATE.test(t) && !Number.isNaN(Date.parse(t)))) date = false;
      if (ts && !TS.test(t)) ts = false;
      if (!int && !big && !dec && !bool && !date && !ts) return 'text';
    }
    if (!any) return 'text';
    if (int) return 'integer';
    if (big) return 'bigint';
    if (dec) return 'decimal';
    if (bool) return 'boolean';
    if (date) return 'date';
    if (ts) return 'timestamp';
    return 'text';
  });
}
