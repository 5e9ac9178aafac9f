// A write whose fate is unknown is never re-run blindly (issue 24 item 1). Every statement that may
// change data carries a label comment (`/* cairn-job <uuid> */`); when the connection is lost after
// Dremio may have accepted it, the job is found by that label in Dremio's job history
// (`sys.jobs_recent` on Software, `sys.project.history.jobs` on Cloud; docs.dremio.com
// .../reference/sql/system-tables/jobs_recent) and its real outcome is awaited. When it cannot be
// found, or its outcome cannot be read, the node fails as "outcome unknown" and is NOT retryable, so
// node-level `retries` cannot insert the rows a second time.
import { randomUUID } from 'node:crypto';
import { DremioError } from './dremio-errors.js';

/**
 * Statements that add or change rows: running one twice doubles or corrupts data. Everything else is
 * harmless to repeat (reads; CTAS, DROP and branch DDL fail or do nothing the second time), so it
 * carries no label and keeps the client's usual error.
 */
const CHANGES_ROWS = /^\s*(insert|merge(?!\s+branch\b)|delete|update|copy)\b/i;

export const LABEL_PREFIX = 'cairn-job ';

export function newLabel(sql: string): string | undefined {
  return CHANGES_ROWS.test(sql) ? randomUUID() : undefined;
}

/** The label goes last (after a newline, so a trailing `--` comment cannot swallow it). */
export const labelled = (sql: string, label: string | undefined): string => (label ? `${sql}\n/* ${LABEL_PREFIX}${label} */` : sql);

/**
 * The job-history query. The label is split in two literals joined by CONCAT so this query's own
 * text (which Dremio also lists) never contains the label it looks for.
 */
export function findJobSql(label: string, cloud: boolean): string {
  const table = cloud ? 'sys.project.history.jobs' : 'sys.jobs_recent';
  return `SELECT job_id, status FROM ${table} WHERE POSITION(CONCAT('${LABEL_PREFIX.trim()}', ' ${label}') IN query) > 0`;
}

/** Submit failures after which Dremio may have accepted the job: lost connection, 5xx but 503. */
export function mayHaveBeenAccepted(e: unknown): boolean {
  if (!(e instanceof DremioError) || e.code !== 'CONNECTION') return false;
  return e.status === undefined || (e.status >= 500 && e.status !== 503);
}

export function notFoundError(label: string, cause: unknown): DremioError {
  return new DremioError('CONNECTION', `the connection to Dremio was lost while submitting a statement that changes data, and its job could not be found; its outcome is unknown, so cairn did not run it again`, false, {
    cause,
    hint: `before re-running this model, look in Dremio's job list for a job whose SQL contains "${LABEL_PREFIX}${label}" (SELECT job_id, status FROM sys.jobs_recent WHERE query LIKE '%${label}%'): if it COMPLETED, the data is already written`,
  });
}

export function lostWhileWaitingError(id: string, cause: unknown): DremioError {
  return new DremioError('CONNECTION', `Dremio job ${id} (a statement that changes data) was accepted, but the connection was lost while waiting for it; its outcome is unknown, so cairn did not run it again`, false, {
    cause,
    hint: `check job ${id} in Dremio (Jobs page, or GET /api/v3/job/${id}) before re-running this model: if it COMPLETED, the data is already written`,
  });
}
