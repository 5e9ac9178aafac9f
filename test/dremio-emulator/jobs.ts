// Jobs: Dremio runs submitted SQL asynchronously and clients poll GET /job/{id}. A job here stays
// non-final for `jobPolls` status polls (walking through Dremio's real intermediate states) and/or
// `jobDurationMs` of wall time; the SQL executes when the job becomes final, so a job cancelled
// before that has no side effects.
import { randomUUID } from 'node:crypto';
import type { Catalog } from './catalog.js';
import type { Duck } from './duck.js';
import { fromDuckDbError } from './errors.js';
import type { Faults } from './faults.js';
import type { ResultSet } from './result-set.js';
import { executeStatement } from './sql-statements.js';
import { mentionsJobHistory, refreshJobHistory } from './jobs-recent.js';
import type { AtRef } from './sql-translate.js';
import { syncCatalog } from './system-tables.js';

export type JobState =
  | 'NOT_SUBMITTED' | 'STARTING' | 'RUNNING' | 'COMPLETED' | 'CANCELED' | 'FAILED' | 'CANCELLATION_REQUESTED'
  | 'PLANNING' | 'PENDING' | 'METADATA_RETRIEVAL' | 'QUEUED' | 'ENGINE_START' | 'EXECUTION_PLANNING' | 'INVALID_STATE';

/** Non-final states in the order a job walks through them. */
export const RUNNING_STATES: readonly JobState[] = [
  'PENDING', 'METADATA_RETRIEVAL', 'PLANNING', 'QUEUED', 'ENGINE_START', 'EXECUTION_PLANNING', 'STARTING', 'RUNNING',
];
export const FINAL_STATES: readonly JobState[] = ['COMPLETED', 'CANCELED', 'FAILED'];

export interface JobReference { type: string; value: string }

/** A submitted job, as tests see it through `emulator.jobs`. */
export interface Job {
  readonly id: string;
  readonly sql: string;
  readonly context?: readonly string[];
  readonly references?: Readonly<Record<string, JobReference>>;
  readonly user: string;
  /** Which API prefix submitted it. */
  readonly api: 'software' | 'cloud';
  readonly submittedAt: number;
  state: JobState;
  /** Every state a status poll reported, in order. */
  readonly statesSeen: JobState[];
  polls: number;
  endedAt?: number;
  rowCount?: number;
  errorMessage?: string;
  cancellationReason?: string;
  result?: ResultSet;
  /** Statement kind the emulator recognised (QUERY, CREATE_TABLE, MERGE, ...). */
  kind?: string;
  /** `AT BRANCH x` clauses stripped from the SQL. */
  atRefs: AtRef[];
  /** DuckDB statements the job ran. */
  readonly duckSql: string[];
  /** A fault closed the connection instead of replying to the submit (the job still runs). */
  readonly responseDropped?: boolean;
}

interface JobInternals extends Job {
  requiredPolls: number;
  dueAt: number;
  failMessage?: string;
  serverCancelReason?: string;
  cancelledBy?: string;
  /** CANCELLATION_REQUESTED is reported by one poll before the job turns CANCELED. */
  cancelReported?: boolean;
  finishing?: Promise<void>;
}

export interface JobTiming { jobPolls: number; jobDurationMs: number }

export class JobStore {
  private readonly jobs = new Map<string, JobInternals>();

  constructor(
    private readonly duck: Duck,
    private readonly catalog: Catalog,
    private readonly faults: Faults,
    private readonly timing: JobTiming,
    private readonly storageRoots: Readonly<Record<string, string>>,
  ) {}

  submit(sql: string, user: string, api: 'software' | 'cloud', context?: string[], references?: Record<string, JobReference>): Job {
    const effect = this.faults.takeJob(sql);
    const now = Date.now();
    const job: JobInternals = {
      id: randomUUID(), sql, user, api, submittedAt: now, state: 'PENDING', statesSeen: [], polls: 0, atRefs: [], duckSql: [],
      ...(context ? { context } : {}), ...(references ? { references } : {}),
      requiredPolls: this.timing.jobPolls + effect.extraPolls,
      dueAt: now + this.timing.jobDurationMs + effect.extraMs,
      ...(effect.failMessage !== undefined ? { failMessage: effect.failMessage } : {}),
      ...(effect.cancelReason !== undefined ? { serverCancelReason: effect.cancelReason } : {}),
      ...(effect.dropResponse ? { responseDropped: true } : {}),
    };
    this.jobs.set(job.id, job);
    // Nobody will poll a job whose submitter never learnt its id: it runs on its own, as in Dremio.
    if (job.responseDropped) setTimeout(() => void this.finish(job), Math.max(0, job.dueAt - now)).unref();
    // Time-only jobs ("fixed duration") finish on their own, whether or not anyone polls.
    if (job.requiredPolls === 0 && job.dueAt > now) setTimeout(() => void this.finish(job), job.dueAt - now).unref();
    return job;
  }

  get(id: string): Job | undefined { return this.jobs.get(id); }
  list(): Job[] { return [...this.jobs.values()]; }

  /** One status poll: advances the state machine and returns the job as it is now. */
  async poll(id: string): Promise<Job | undefined> {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    if (!FINAL_STATES.includes(job.state)) {
      job.polls++;
      if (job.state === 'CANCELLATION_REQUESTED') {
        if (job.cancelReported) this.end(job, 'CANCELED', { cancellationReason: `Query cancelled by user '${job.cancelledBy}'` });
        job.cancelReported = true;
      }
      else if (job.polls > job.requiredPolls && Date.now() >= job.dueAt) await this.finish(job);
      else job.state = this.runningState(job);
    }
    job.statesSeen.push(job.state);
    return job;
  }

  /** REST cancel: 'ok', or why it cannot be cancelled. */
  cancel(id: string, user: string): 'ok' | 'unknown' | 'final' {
    const job = this.jobs.get(id);
    if (!job) return 'unknown';
    if (FINAL_STATES.includes(job.state) || job.finishing) return 'final';
    job.cancelledBy = user;
    job.state = 'CANCELLATION_REQUESTED';
    return 'ok';
  }

  private runningState(job: JobInternals): JobState {
    const last = RUNNING_STATES.length - 1;
    let idx: number;
    if (job.polls <= job.requiredPolls) {
      idx = job.requiredPolls <= 1 ? last : Math.round(((job.polls - 1) * last) / (job.requiredPolls - 1));
    } else {
      const total = Math.max(1, job.dueAt - job.submittedAt);
      idx = Math.floor(((Date.now() - job.submittedAt) / total) * RUNNING_STATES.length);
    }
    return RUNNING_STATES[Math.min(last, Math.max(0, idx))]!;
  }

  private finish(job: JobInternals): Promise<void> {
    if (FINAL_STATES.includes(job.state) || job.state === 'CANCELLATION_REQUESTED') return Promise.resolve();
    job.finishing ??= this.complete(job);
    return job.finishing;
  }

  private async complete(job: JobInternals): Promise<void> {
    if (job.failMessage !== undefined) return this.end(job, 'FAILED', { errorMessage: job.failMessage });
    if (job.serverCancelReason !== undefined) return this.end(job, 'CANCELED', { cancellationReason: job.serverCancelReason });
    try {
      const outcome = await this.duck.exclusive(async (s) => {
        const env = {
          catalog: this.catalog,
          storageRoots: this.storageRoots,
          ...(job.context ? { context: job.context } : {}),
          ...(job.references ? { references: job.references } : {}),
          run: async (sql: string) => { job.duckSql.push(sql); await s.run(sql); },
          query: (sql: string) => { job.duckSql.push(sql); return s.query(sql); },
        };
        if (mentionsJobHistory(job.sql)) await refreshJobHistory(s, this.list());
        try {
          return await executeStatement(job.sql, env);
        } finally {
          await syncCatalog(s, this.catalog);
        }
      });
      job.kind = outcome.kind;
      job.atRefs = outcome.atRefs;
      job.result = outcome.result;
      this.end(job, 'COMPLETED', { rowCount: outcome.result.rows.length });
    } catch (err) {
      this.end(job, 'FAILED', { errorMessage: fromDuckDbError(err).message });
    }
  }

  private end(job: JobInternals, state: JobState, fields: { rowCount?: number; errorMessage?: string; cancellationReason?: string }): void {
    Object.assign(job, fields);
    job.state = state;
    job.endedAt = Date.now();
  }
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** GET /job/{id} body. Null fields are left out (Dremio's Jackson uses NON_NULL). */
export function jobStatusBody(job: Job): Record<string, unknown> {
  return {
    jobState: job.state,
    rowCount: job.state === 'COMPLETED' ? job.rowCount ?? 0 : 0,
    errorMessage: job.errorMessage ?? '',
    startedAt: iso(job.submittedAt),
    ...(job.endedAt !== undefined ? { endedAt: iso(job.endedAt) } : {}),
    queryType: 'REST',
    cancellationReason: job.cancellationReason ?? '',
  };
}
