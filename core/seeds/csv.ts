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

export function parseCsv(text: string, file: string, delimiter = ','): ParsedCsv {
  const hasBom = text.charCodeAt(0) === 0xfeff;
  const s = hasBom ? text.slice(1) : text;
  const rows: Array<Array<string | null>> = [];
  const lines: number[] = [];
  let header: string[] | undefined;
  let row: Array<string | null> = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let i = 0;
  const n = s.length;
  const d = delimiter.charCodeAt(0);
  const endRow = () => {
    row.push(quoted || field !== '' ? field : null);
    if (!(row.length === 1 && row[0] === null)) {
      if (!header) header = row.map((x) => (x ?? '').trim());
      else {
        if (row.length !== header.length) {
          throw new CairnError('CONFIG_INVALID', `seed CSV row has ${row.length} field${row.length === 1 ? '' : 's'} but the header has ${header.length}`, {
            file, line: rowLine, hint: 'quote fields that contain the delimiter ("a, b") and check for a missing or extra delimiter on that line',
          });
        }
        rows.push(row);
        lines.push(rowLine);
      }
    }
    row = [];
    field = '';
    quoted = false;
  };
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 34 /* " */ && field === '' && !quoted) {
      // A quoted field: read to the closing quote; "" is a literal quote.
      const startLine = line;
      let j = i + 1;
      let buf = '';
      for (;;) {
        const k = s.indexOf('"', j);
        if (k < 0) throw new CairnError('CONFIG_INVALID', 'seed CSV has a quoted field that is never closed', { file, line: startLine, hint: 'close the quote, or double a quote inside a field ("")' });
        buf += s.slice(j, k);
        if (s.charCodeAt(k + 1) === 34) { buf += '"'; j = k + 2; continue; }
        j = k + 1;
        break;
      }
      for (let x = i; x < j; x++) if (s.charCodeAt(x) === 10) line++;
      field = buf;
      quoted = true;
      i = j;
      continue;
    }
    if (c === d) {
      row.push(quoted || field !== '' ? field : null);
      field = '';
      quoted = false;
      i++;
    } else if (c === 10 || c === 13) {
      endRow();
      if (c === 13 && s.charCodeAt(i + 1) === 10) i++;
      i++;
      line++;
      rowLine = line;
    } else {
      if (quoted) {
        throw new CairnError('CONFIG_INVALID', 'seed CSV has text after a closing quote', { file, line, hint: 'a quoted field must end at the delimiter or line end; double quotes inside a field ("")' });
      }
      // Fast path: copy up to the next special character.
      let j = i + 1;
      while (j < n) {
        const cj = s.charCodeAt(j);
        if (cj === d || cj === 10 || cj === 13 || cj === 34) break;
        j++;
      }
      field += s.slice(i, j);
      i = j;
    }
  }
  if (field !== '' || quoted || row.length) endRow();
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
      if (big && !(INT.test(t) && BigInt(t) < 2n ** 63n && BigInt(t) >= -(2n ** 63n))) big = false;
      if (int && !(big && Math.abs(Number(t)) < 2 ** 31)) int = false;
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
