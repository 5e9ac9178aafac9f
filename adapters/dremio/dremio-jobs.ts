// Statements as Dremio jobs: submit, poll with exponential backoff until a final state, fetch results
// in pages of 500 (concurrently), cancel on timeout or abort. Only COMPLETED, CANCELED and FAILED are
// final; any other (or unknown future) state means "still running".
import type { Column, ExecResult } from '../adapter.js';
import { type DremioClient, sleep } from './dremio-client.js';
import { DremioError } from './dremio-errors.js';
import { dremioHint } from './dremio-hints.js';
import { api } from './dremio-paths.js';

const FINAL = new Set(['COMPLETED', 'CANCELED', 'FAILED']);
export const PAGE = 500;

export interface JobStatus {
  jobState: string;
  rowCount?: number;
  errorMessage?: string;
  cancellationReason?: string;
}

interface ResultPage {
  rowCount: number;
  schema?: Array<{ name: string; type: { name: string; precision?: number; scale?: number } }>;
  rows: Record<string, unknown>[];
}

export interface JobOptions {
  fetch?: boolean;
  signal?: AbortSignal;
  /** Seconds; 0 or undefined = no limit. */
  timeoutSec?: number;
  references?: Record<string, { type: string; value: string }>;
}

export interface PollTiming {
  initialMs: number;
  factor: number;
  maxMs: number;
}

export class DremioJobs {
  readonly running = new Set<string>();
  poll: PollTiming = { initialMs: 50, factor: 1.5, maxMs: 1000 };

  constructor(private readonly client: DremioClient) {}

  async run(sql: string, o: JobOptions = {}): Promise<ExecResult> {
    // Never re-submitted here: 429/503 (not accepted) are the only retries the client makes for it.
    const submitted = await this.client.call<{ id: string }>('POST', api.sql(), 'submit', {
      body: { sql, ...(o.references ? { references: o.references } : {}) },
      idempotent: false,
      signal: o.signal,
    });
    const id = submitted.body.id;
    this.running.add(id);
    try {
      const status = await this.wait(id, o);
      if (status.jobState === 'FAILED') {
        const hint = dremioHint(status.errorMessage ?? '');
        throw new DremioError('SQL_ERROR', `Dremio job ${id} FAILED: ${status.errorMessage || 'no error message'}`, /busy|timeout|try again|out of memory/i.test(status.errorMessage ?? ''), hint ? { hint } : {});
      }
      if (status.jobState === 'CANCELED') {
        throw new DremioError('SQL_ERROR', `Dremio job ${id} was CANCELED: ${status.cancellationReason || 'no reason given'}`, false);
      }
      const out: ExecResult = { jobId: id, rowsAffected: status.rowCount };
      if (o.fetch || isWrite(sql)) {
        // A CTAS answers one row per written file: all of them are needed to count its rows.
        const maxRows = o.fetch || /^\s*create\s+table/i.test(sql) ? undefined : 1;
        const { columns, rows } = await this.results(id, status.rowCount ?? 0, o.signal, maxRows);
        if (o.fetch) Object.assign(out, { columns, rows, rowsAffected: rows.length });
        else out.rowsAffected = writeCount(rows) ?? status.rowCount;
      }
      return out;
    } finally {
      this.running.delete(id);
    }
  }

  private async wait(id: string, o: JobOptions): Promise<JobStatus> {
    const started = Date.now();
    const deadline = o.timeoutSec ? started + o.timeoutSec * 1000 : Infinity;
    let delay = this.poll.initialMs;
    for (;;) {
      try {
        await sleep(Math.min(delay, Math.max(0, deadline - Date.now())), o.signal);
      } catch (e) {
        await this.cancel(id);
        throw new DremioError('SQL_ERROR', `interrupted: Dremio job ${id} was cancelled`, false, { cause: e });
      }
      if (Date.now() >= deadline) {
        await this.cancel(id);
        throw new DremioError('SQL_ERROR', `query timed out after ${o.timeoutSec}s (query_timeout); Dremio job ${id} was cancelled`, true, {
          hint: 'raise query_timeout in profiles.yml, or make the model cheaper',
        });
      }
      const r = await this.client.call<JobStatus>('GET', api.job(id), 'job status', { idempotent: true, signal: o.signal }).catch(async (e) => {
        if (o.signal?.aborted) { await this.cancel(id); throw new DremioError('SQL_ERROR', `interrupted: Dremio job ${id} was cancelled`, false, { cause: e }); }
        throw e;
      });
      if (FINAL.has(r.body.jobState)) return r.body;
      delay = Math.min(this.poll.maxMs, delay * this.poll.factor);
    }
  }

  /** All pages, the first one alone (it says how many rows there are), the rest concurrently. */
  async results(id: string, rowCount: number, signal?: AbortSignal, maxRows?: number): Promise<{ columns: Column[]; rows: Record<string, unknown>[] }> {
    const get = (offset: number, limit: number) =>
      this.client.call<ResultPage>('GET', api.results(id, offset, limit), 'job results', { idempotent: true, signal }).then((r) => r.body);
    const first = await get(0, Math.min(PAGE, maxRows ?? PAGE));
    const total = maxRows !== undefined ? Math.min(maxRows, first.rowCount ?? rowCount) : first.rowCount ?? rowCount;
    const offsets: number[] = [];
    for (let off = PAGE; off < total; off += PAGE) offsets.push(off);
    const pages = await mapLimit(offsets, 4, (off) => get(off, PAGE));
    const rows = [first, ...pages].flatMap((p) => p.rows ?? []);
    const columns = (first.schema ?? []).map((c) => ({ name: c.name, type: typeName(c.type) }));
    return { columns, rows };
  }

  async cancel(id: string): Promise<void> {
    // 404/409 mean the job is gone or already final: nothing left to cancel.
    await this.client.call('POST', api.cancel(id), 'cancel', { idempotent: true, accept: [404, 409, 400] }).catch(() => undefined);
  }

  async cancelAll(): Promise<void> {
    await Promise.all([...this.running].map((id) => this.cancel(id)));
  }
}

const typeName = (t: { name: string; precision?: number; scale?: number }): string =>
  t.name === 'DECIMAL' && t.precision !== undefined ? `DECIMAL(${t.precision},${t.scale ?? 0})` : t.name;

const isWrite = (sql: string): boolean => /^\s*(insert|merge|create\s+table|copy|delete|update)\b/i.test(sql);

// What a write job answers (dremio-oss): DML one `Rows Inserted|Merged|Deleted|Updated` column
// (DmlUtils.DML_OUTPUT_COLUMN_NAMES; COPY INTO adds `Rows Rejected`), CTAS the writer's `Records`
// per fragment (RecordWriter.SCHEMA).
const WRITE_COLUMNS = ['Rows Inserted', 'Rows Merged', 'Rows Updated', 'Rows Deleted', 'Records'];

/** Rows written by a DML/CTAS job, from its result rows; rejected rows do not count. */
export function writeCount(rows: ReadonlyArray<Record<string, unknown>>): number | undefined {
  const first = rows[0];
  if (!first) return undefined;
  for (const k of WRITE_COLUMNS.slice(0, -1)) if (typeof first[k] === 'number') return first[k];
  const counts = rows.map((r) => r['Records']).filter((v): v is number => typeof v === 'number');
  return counts.length ? counts.reduce((a, b) => a + b, 0) : undefined;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) { const i = next++; out[i] = await fn(items[i]!); }
  }));
  return out;
}
