// Dremio's job history as SQL: `sys.jobs_recent` (Software; docs.dremio.com/25.x/reference/sql/
// system-tables/jobs_recent) and `sys.project.history.jobs` (Cloud). Both list every job, running
// or final, the querying job included, with the SQL text as submitted in `query`. The emulator keeps
// a subset of the real columns and refreshes them from the job store right before a statement that
// names either table runs.
import type { DuckSession } from './duck.js';
import type { Job } from './jobs.js';
import { quoteString } from './sql-tokenize.js';

export const HISTORY_SCHEMAS = ['sys/project/history'];
const TABLES = ['sys.jobs_recent', '"sys/project/history".jobs'];
const COLUMNS = `job_id VARCHAR, status VARCHAR, query_type VARCHAR, user_name VARCHAR, submitted_ts TIMESTAMP,
  final_state_ts TIMESTAMP, rows_returned BIGINT, error_msg VARCHAR, query VARCHAR`;

export async function installJobHistory(s: DuckSession): Promise<void> {
  await s.run(`CREATE SCHEMA "sys/project/history"`);
  for (const t of TABLES) await s.run(`CREATE TABLE ${t} (${COLUMNS})`);
}

export const mentionsJobHistory = (sql: string): boolean => /jobs_recent|history"?\s*\.\s*"?jobs/i.test(sql);

const ts = (ms: number | undefined): string => (ms === undefined ? 'NULL' : `make_timestamp(${ms * 1000})`);

export async function refreshJobHistory(s: DuckSession, jobs: readonly Job[]): Promise<void> {
  const values = jobs.map((j) => `(${[
    quoteString(j.id), quoteString(j.state), `'REST'`, quoteString(j.user), ts(j.submittedAt), ts(j.endedAt),
    String(j.rowCount ?? 0), quoteString(j.errorMessage ?? ''), quoteString(j.sql),
  ].join(', ')})`);
  for (const t of TABLES) {
    await s.run(`DELETE FROM ${t}`);
    if (values.length) await s.run(`INSERT INTO ${t} VALUES ${values.join(', ')}`);
  }
}
