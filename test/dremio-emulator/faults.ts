// Fault injection, so the adapter's retry, backoff, timeout and failure paths can be tested.
// HTTP faults hit the next N matching requests before auth and routing (as a proxy or load balancer
// would); job faults change how the next N matching jobs behave.

export interface RequestMatch {
  /** Tested against the request path and query, e.g. /\/job\/[^/]+$/ ; default: every request. */
  match?: RegExp | string;
  /** HTTP method to match (GET, POST, ...); default: any. */
  method?: string;
  /** How many matching requests are affected; default 1. */
  times?: number;
}

export interface StatusFaultOptions extends RequestMatch {
  /** Seconds for a Retry-After header; omitted when undefined. */
  retryAfterSeconds?: number;
  /** Replaces the default `{errorMessage, moreInfo}` body. */
  body?: unknown;
}

export interface JobMatch {
  /** Tested against the submitted SQL; default: every job. */
  match?: RegExp | string;
  /** How many matching jobs are affected; default 1. */
  times?: number;
}

export type HttpFault =
  | { kind: 'status'; status: number; retryAfterSeconds?: number; body?: unknown }
  | { kind: 'reset' };

export interface JobFaultEffect {
  extraPolls: number;
  extraMs: number;
  failMessage?: string;
  cancelReason?: string;
  /** The job is accepted and runs, but the reply to POST /sql is never sent (the socket is destroyed). */
  dropResponse?: boolean;
}

interface Armed<T> { fault: T; match?: RegExp; method?: string; remaining: number }

const toRegExp = (m: RegExp | string | undefined): RegExp | undefined => (m === undefined ? undefined : typeof m === 'string' ? new RegExp(m) : m);

type JobFault = { kind: 'slow'; extraPolls: number; extraMs: number } | { kind: 'fail'; message: string } | { kind: 'cancel'; reason: string } | { kind: 'dropResponse' };

export class Faults {
  private http: Array<Armed<HttpFault>> = [];
  private job: Array<Armed<JobFault>> = [];
  /** Number of faults that fired, by kind (e.g. {'429': 2, reset: 1, fail: 1}). */
  readonly fired: Record<string, number> = {};
  private tokenEpoch = 0;

  /** Next matching requests answer `status` with a JSON error body (and optional Retry-After). */
  failRequests(status: number, opts: StatusFaultOptions = {}): void {
    this.armHttp({ kind: 'status', status, ...(opts.retryAfterSeconds !== undefined ? { retryAfterSeconds: opts.retryAfterSeconds } : {}), ...(opts.body !== undefined ? { body: opts.body } : {}) }, opts);
  }
  /** 429 Too Many Requests, with `Retry-After` only if `retryAfterSeconds` is given. */
  rateLimit(opts: StatusFaultOptions = {}): void { this.failRequests(429, opts); }
  /** 503 Service Unavailable. */
  unavailable(opts: StatusFaultOptions = {}): void { this.failRequests(503, opts); }
  /** 500 with Dremio's generic "Something went wrong" body. */
  serverError(opts: StatusFaultOptions = {}): void { this.failRequests(500, opts); }
  /** Destroys the socket without a response (ECONNRESET / "other side closed" in the client). */
  resetConnection(opts: RequestMatch = {}): void { this.armHttp({ kind: 'reset' }, opts); }

  /** Matching jobs stay non-final for `extraPolls` more polls and/or `extraMs` more milliseconds. */
  slowJobs(opts: JobMatch & { extraPolls?: number; extraMs?: number }): void {
    this.armJob({ kind: 'slow', extraPolls: opts.extraPolls ?? 0, extraMs: opts.extraMs ?? 0 }, opts);
  }
  /** Matching jobs end FAILED with `errorMessage` = message (the SQL is not executed). */
  failJobs(opts: JobMatch & { message: string }): void { this.armJob({ kind: 'fail', message: opts.message }, opts); }
  /** Matching jobs end CANCELED by the server (the SQL is not executed). */
  cancelJobs(opts: JobMatch & { reason?: string } = {}): void {
    this.armJob({ kind: 'cancel', reason: opts.reason ?? 'Query was cancelled' }, opts);
  }
  /**
   * Matching jobs are accepted and run to the end on their own (as Dremio runs every accepted job,
   * polled or not), but the connection is closed before the `{id}` reply is sent: the client cannot
   * know whether its statement reached Dremio (issue 24: a lost response to an accepted INSERT).
   */
  dropSubmitResponse(opts: JobMatch = {}): void { this.armJob({ kind: 'dropResponse' }, opts); }
  /** Invalidates every login token issued so far (the next call with one gets an empty-body 401). */
  expireTokens(): void { this.tokenEpoch++; }

  clear(): void { this.http = []; this.job = []; }
  /** True when no armed fault is left. */
  get idle(): boolean { return this.http.length === 0 && this.job.length === 0; }

  /** @internal */
  get epoch(): number { return this.tokenEpoch; }

  /** @internal Consumes and returns the fault for this request, if any. */
  takeHttp(method: string, url: string): HttpFault | undefined {
    const a = this.http.find((f) => (!f.method || f.method.toUpperCase() === method) && (!f.match || f.match.test(url)));
    if (!a) return undefined;
    if (--a.remaining <= 0) this.http = this.http.filter((f) => f !== a);
    const key = a.fault.kind === 'reset' ? 'reset' : String(a.fault.status);
    this.fired[key] = (this.fired[key] ?? 0) + 1;
    return a.fault;
  }

  /** @internal Consumes every job fault matching this SQL and merges their effects. */
  takeJob(sql: string): JobFaultEffect {
    const effect: JobFaultEffect = { extraPolls: 0, extraMs: 0 };
    for (const a of [...this.job]) {
      if (a.match && !a.match.test(sql)) continue;
      if (--a.remaining <= 0) this.job = this.job.filter((f) => f !== a);
      this.fired[a.fault.kind] = (this.fired[a.fault.kind] ?? 0) + 1;
      if (a.fault.kind === 'slow') { effect.extraPolls += a.fault.extraPolls; effect.extraMs += a.fault.extraMs; }
      if (a.fault.kind === 'fail') effect.failMessage = a.fault.message;
      if (a.fault.kind === 'cancel') effect.cancelReason = a.fault.reason;
      if (a.fault.kind === 'dropResponse') effect.dropResponse = true;
    }
    return effect;
  }

  private armHttp(fault: HttpFault, opts: RequestMatch): void {
    const match = toRegExp(opts.match);
    this.http.push({ fault, remaining: opts.times ?? 1, ...(match ? { match } : {}), ...(opts.method ? { method: opts.method } : {}) });
  }

  private armJob(fault: JobFault, opts: JobMatch): void {
    const match = toRegExp(opts.match);
    this.job.push({ fault, remaining: opts.times ?? 1, ...(match ? { match } : {}) });
  }
}
