// Logical run dates (`ds`): the default date (today UTC shifted by `ds_offset` from dbt_project.yml),
// day arithmetic, and the list of days a backfill covers.
import { CairnError } from '../errors.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isDate(s: string): boolean {
  return DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
}

export function addDays(ds: string, n: number): string {
  const d = new Date(`${ds}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Today (UTC) plus the project's `ds_offset` (e.g. -1: a nightly run processes yesterday). */
export function defaultDs(projectRaw: Readonly<Record<string, unknown>>, now = new Date()): string {
  const off = projectRaw.ds_offset ?? 0;
  if (typeof off !== 'number' || !Number.isInteger(off)) {
    throw new CairnError('PROJECT_INVALID', `\`ds_offset\` must be an integer number of days, got \`${JSON.stringify(off)}\``, { file: 'dbt_project.yml', hint: 'e.g. ds_offset: -1 to run for yesterday' });
  }
  return addDays(now.toISOString().slice(0, 10), off);
}

/** Every day from start to end inclusive; `--start` after `--end` or a bad date is a usage error. */
export function daysBetween(start: string, end: string): string[] {
  for (const [flag, v] of [['--start', start], ['--end', end]] as const) {
    if (!isDate(v)) throw new CairnError('USAGE', `${flag} must be a date like 2024-01-31, got \`${v}\``);
  }
  if (start > end) throw new CairnError('USAGE', `--start ${start} is after --end ${end}`, { hint: 'swap them: the backfill runs from --start to --end, both included' });
  const out: string[] = [];
  for (let d = start; d <= end; d = addDays(d, 1)) out.push(d);
  return out;
}
