// REST transport: one keep-alive undici Agent per run (sized to threads), connect/request timeouts,
// and the retry policy. 429/503 mean "not accepted, come back later" and are retried for every call,
// honouring Retry-After; other 5xx and network errors are retried only on idempotent calls, so a
// submitted statement is never silently submitted twice.
import { readFileSync } from 'node:fs';
import type { Agent } from 'undici';
import { undici } from '../../core/util/undici.js';
import type { Target } from '../adapter.js';
import { type DremioAuth } from './dremio-auth.js';
import { DremioError, dremioMessage, isTlsError, isTransientNetworkError, networkCause } from './dremio-errors.js';
import { dremioHint } from './dremio-hints.js';
import { type DremioEndpoint, truthy, urlFor } from './dremio-paths.js';

export interface CallOptions {
  body?: unknown;
  /** Safe to send again after a network error or 5xx (reads, status polls, cancel). */
  idempotent: boolean;
  signal?: AbortSignal;
  /** Statuses the caller handles itself (e.g. 404 on lookups, 409 on create). */
  accept?: number[];
}

export interface CallResult<T = unknown> {
  status: number;
  body: T;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest wait a Retry-After header gets (default 60 s); a longer one is cut to this, and said. */
  maxRetryAfterMs?: number;
}

const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(t); reject(signal!.reason ?? new Error('aborted')); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export class DremioClient {
  readonly agent: Agent;
  auth!: DremioAuth;
  retry: RetryPolicy = { maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 10_000 };
  /** Where waits the user should know about are reported (the run's warnings; stderr when unset). */
  notice: (message: string) => void = (m) => { process.stderr.write(`warning: ${m}\n`); };
  /** Requests made, by kind (for the benchmark and tests). */
  readonly stats = { requests: 0, retries: 0, busyMs: 0 };

  constructor(readonly ep: DremioEndpoint, target: Target) {
    const verify = target.verify_ssl === undefined ? true : truthy(target.verify_ssl);
    const caFile = target.ca_file as string | undefined;
    const timeoutMs = Number(target.request_timeout ?? 300) * 1000;
    this.agent = new (undici().Agent)({
      connections: Math.max(2, Number(target.threads ?? 4) + 2),
      keepAliveTimeout: 30_000,
      connectTimeout: Number(target.connect_timeout ?? 10) * 1000,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connect: { rejectUnauthorized: verify, ...(caFile ? { ca: readFileSync(caFile) } : {}) },
    });
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  /** One call with auth, retry and error mapping. `what` names the call in errors ("submit", "job status"). */
  async call<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, what: string, o: CallOptions): Promise<CallResult<T>> {
    let relogged = false;
    for (let attempt = 1; ; attempt++) {
      let status: number;
      let text: string;
      let headers: Record<string, string | string[] | undefined>;
      try {
        const r = await this.raw(method, path, o.body, o.signal, path.startsWith('/apiv2/') ? undefined : await this.auth.header(o.signal));
        ({ status, text, headers } = r);
      } catch (e) {
        if (o.signal?.aborted) throw e;
        if (e instanceof DremioError) throw e;
        const retryable = o.idempotent && isTransientNetworkError(e) && attempt < this.retry.maxAttempts;
        if (retryable) { await this.backoff(attempt, undefined, o.signal); continue; }
        throw this.networkError(e, what, o.idempotent);
      }
      const body = parse(text);
      if (status === 401 && !path.startsWith('/apiv2/') && !relogged && this.auth.canRelogin) {
        // An expired session token: log in again once and repeat (the server did not accept the call).
        relogged = true;
        await this.auth.relogin(o.signal);
        attempt--;
        continue;
      }
      if (status === 401 && !path.startsWith('/apiv2/')) throw this.auth.rejected(status);
      const retryAlways = status === 429 || status === 503;
      const retryIdem = o.idempotent && (status >= 500 || status === 408);
      if ((retryAlways || retryIdem) && attempt < this.retry.maxAttempts) {
        await this.backoff(attempt, headerValue(headers['retry-after']), o.signal, `${what} (HTTP ${status})`);
        continue;
      }
      if (status >= 400 && !(o.accept ?? []).includes(status)) {
        const transient = status === 429 || status === 502 || status === 503 || status === 504;
        throw new DremioError(status >= 500 || transient ? 'CONNECTION' : 'SQL_ERROR', `Dremio ${what} failed (HTTP ${status}): ${dremioMessage(body, text.slice(0, 300) || 'no details')}`, transient, {
          status,
          hint: transient ? 'Dremio is overloaded or restarting; retry later (retries with backoff were exhausted)' : dremioHint(dremioMessage(body, '')),
        });
      }
      return { status, body: body as T };
    }
  }

  /** A bare request: no auth logic, no retries (login uses it directly). */
  async raw(method: string, path: string, body: unknown, signal: AbortSignal | undefined, authorization: string | undefined) {
    this.stats.requests++;
    const t0 = performance.now();
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (authorization) headers.authorization = authorization;
    const r = await undici().request(urlFor(this.ep, path), {
      method: method as 'GET',
      headers,
      dispatcher: this.agent,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
    });
    const text = await r.body.text();
    this.stats.busyMs += performance.now() - t0;
    return { status: r.statusCode, text, headers: r.headers };
  }

  networkError(e: unknown, what: string, idempotent: boolean): DremioError {
    const where = `${this.ep.host}:${this.ep.port}`;
    if (isTlsError(e)) {
      return new DremioError('CONNECTION', `TLS handshake with Dremio at ${where} failed: ${networkCause(e)}`, false, {
        hint: 'check use_ssl (the server may not speak TLS), or set ca_file to the CA that signed its certificate (verify_ssl: false only for testing)',
        cause: e,
      });
    }
    const submitted = idempotent ? '' : ' — the statement may or may not have reached Dremio, so it was not re-submitted';
    return new DremioError('CONNECTION', `cannot reach Dremio at ${where} (${what}): ${networkCause(e)}${submitted}`, isTransientNetworkError(e), {
      hint: /ENOTFOUND|EAI_AGAIN/.test(networkCause(e)) ? 'check the host name in profiles.yml' : 'check that Dremio is running and the host/port (and use_ssl) in profiles.yml',
      cause: e,
    });
  }

  private async backoff(attempt: number, retryAfter: string | undefined, signal?: AbortSignal, what?: string): Promise<void> {
    this.stats.retries++;
    const exp = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    const jittered = exp / 2 + Math.random() * (exp / 2);
    const ra = retryAfter !== undefined ? retryAfterMs(retryAfter) : undefined;
    const cap = this.retry.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
    const wait = ra !== undefined ? Math.min(ra, cap) : jittered;
    // A Retry-After wait can be long: say what is waited for and how long, above all when it is cut.
    if (ra !== undefined && (ra > cap || wait >= 1000)) {
      const s = (ms: number) => `${+(ms / 1000).toFixed(3)} s`;
      this.notice(`Dremio asked to retry ${what ?? 'a call'} after ${s(ra)} (Retry-After: ${retryAfter})${ra > cap ? `, above the ${s(cap)} cap` : ''}: waiting ${s(wait)} before attempt ${attempt + 1} of ${this.retry.maxAttempts}`);
    }
    await sleep(wait, signal);
  }
}

function parse(text: string): unknown {
  if (!text) return undefined;
  try { return JSON.parse(text); } catch { return text; }
}

const headerValue = (h: string | string[] | undefined): string | undefined => (Array.isArray(h) ? h[0] : h);

/** Retry-After is seconds or an HTTP date. */
export function retryAfterMs(v: string): number | undefined {
  const s = Number(v);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const d = Date.parse(v);
  return Number.isNaN(d) ? undefined : Math.max(0, d - Date.now());
}
