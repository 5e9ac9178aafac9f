// Errors raised while executing a job. Dremio reports a failed job through `errorMessage`, prefixed with
// an error class ("PARSE ERROR: ...", "VALIDATION ERROR: ..."). We keep that shape so the adapter's
// error handling is exercised against realistic text.

export type DremioErrorKind = 'PARSE' | 'VALIDATION' | 'PLAN' | 'FUNCTION' | 'DATA_READ' | 'UNSUPPORTED_OPERATION' | 'SYSTEM';

export class DremioSqlError extends Error {
  constructor(readonly kind: DremioErrorKind, detail: string) {
    super(`${kind} ERROR: ${detail}`);
    this.name = 'DremioSqlError';
  }
}

export const parseError = (detail: string): DremioSqlError => new DremioSqlError('PARSE', detail);
export const validationError = (detail: string): DremioSqlError => new DremioSqlError('VALIDATION', detail);
export const unsupported = (detail: string): DremioSqlError =>
  new DremioSqlError('UNSUPPORTED_OPERATION', `${detail} (not supported by the cairn Dremio emulator)`);

/** Maps a DuckDB error ("Binder Error: ...") to the closest Dremio error class. */
export function fromDuckDbError(err: unknown): DremioSqlError {
  if (err instanceof DremioSqlError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  // DuckDB appends a caret diagram ("LINE 1: ...") that Dremio never shows; keep only the first line.
  const firstLine = raw.split('\n')[0] ?? raw;
  const m = /^([A-Za-z ]+) Error: (.*)$/.exec(firstLine);
  const cls = m?.[1] ?? '';
  const detail = (m?.[2] ?? firstLine).replace(/"([^"]*)\/([^"]*)"/g, (_s, a: string, b: string) => `"${a}.${b}"`.replace(/\//g, '.'));
  switch (cls) {
    case 'Parser': return new DremioSqlError('PARSE', detail);
    case 'Binder': case 'Catalog': case 'Dependency': return new DremioSqlError('VALIDATION', detail);
    case 'Conversion': case 'Invalid Input': case 'Out of Range': return new DremioSqlError('FUNCTION', detail);
    case 'IO': return new DremioSqlError('DATA_READ', detail);
    case 'Constraint': return new DremioSqlError('VALIDATION', detail);
    case 'Not implemented': return new DremioSqlError('UNSUPPORTED_OPERATION', detail);
    default: return new DremioSqlError('SYSTEM', detail);
  }
}
