// Errors the Dremio adapter raises: CairnErrors that remember whether a retry could help.
import { CairnError, type ErrorCode } from '../../core/errors.js';

export class DremioError extends CairnError {
  constructor(code: ErrorCode, message: string, readonly transient: boolean, opts: { hint?: string; cause?: unknown; status?: number } = {}) {
    super(code, message, { hint: opts.hint, cause: opts.cause, exitCode: 1 });
    this.status = opts.status;
  }
  readonly status?: number;
}

/** Dremio's `{errorMessage, moreInfo}` body, verbatim (moreInfo carries the real cause of a 500). */
export function dremioMessage(body: unknown, fallback: string): string {
  if (body && typeof body === 'object') {
    const b = body as { errorMessage?: unknown; moreInfo?: unknown };
    const main = typeof b.errorMessage === 'string' && b.errorMessage ? b.errorMessage : '';
    const more = typeof b.moreInfo === 'string' && b.moreInfo && b.moreInfo !== main ? b.moreInfo : '';
    if (main || more) return [main, more].filter(Boolean).join(' — ');
  }
  return fallback;
}

const TRANSIENT_CODES = /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN|UND_ERR_SOCKET|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT|other side closed/i;

export function isTransientNetworkError(e: unknown): boolean {
  const err = e as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  return TRANSIENT_CODES.test(`${err?.code ?? ''} ${err?.message ?? ''} ${err?.cause?.code ?? ''} ${err?.cause?.message ?? ''}`);
}

/** A short cause for humans: `ECONNREFUSED`, `certificate has expired`, ... */
export function networkCause(e: unknown): string {
  const err = e as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const c = err?.cause ?? err;
  const code = c?.code ?? err?.code;
  const msg = c?.message ?? err?.message ?? String(e);
  return code && !msg.includes(code) ? `${code}: ${msg}` : msg;
}

export const isTlsError = (e: unknown): boolean =>
  /CERT|SSL|TLS|self[- ]signed|UNABLE_TO_VERIFY|DEPTH_ZERO|wrong version number|EPROTO/i.test(networkCause(e));
