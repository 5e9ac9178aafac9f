import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duckdbProvider } from '../adapters/duckdb/index.js';
import { state } from '../core/api/state.js';
import { defaultDs } from '../core/orchestration/run-dates.js';
import { cli, makeProject, PROFILE, PROJECT } from './helpers/project.js';
import { queryDuckdb } from './helpers/duckdb.js';

// 24 events per day (one an hour) from 2024-01-01 to 2024-01-10.
const RAW = "select range as id, timestamp '2024-01-01' + to_hours(range) as ts, range % 7 as amount from range(240)";

function project(files: Record<string, string> = {}) {
  return makeProject({
    'dbt_project.yml': PROJECT('bf', 'models:\n  bf:\n    +materialized: table\n'),
    'profiles.yml': PROFILE('bf'),
    'models/raw_events.sql': RAW,
    'models/events.sql': "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='ts', batch_size='day') }}\nselect id, ts, amount from {{ ref('raw_events') }}",
    ...files,
  });
}

const snapshot = (db: string) => queryDuckdb(db, "select strftime(ts, '%Y-%m-%d') as d, count(*) as n, sum(amount) as s from main.events group by 1 order by 1");

describe('backfills and microbatch', () => {
  it('a 7-day backfill processes each day once; running it twice leaves the same rows', async () => {
    const dir = project();
    const db = join(dir, 'test.duckdb');
    const first = cli(['run', '--start', '2024-01-01', '--end', '2024-01-07'], { cwd: dir });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Backfill 2024-01-01\.\.2024-01-07: 7 of 7 day\(s\) OK/);
    const ds = [...first.stdout.matchAll(/on target dev \(ds (\d{4}-\d{2}-\d{2})\)/g)].map((m) => m[1]);
    expect(ds).toEqual(['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-06', '2024-01-07']);
    const once = await snapshot(db);
    expect(once.length).toBe(7);
    expect(once.every((r) => r.n === 24)).toBe(true);
    expect(cli(['run', '--start', '2024-01-01', '--end', '2024-01-07', '--concurrency-days', '3'], { cwd: dir }).code).toBe(0);
    expect(await snapshot(db)).toEqual(once);
    // Re-running one day replaces it.
    expect(cli(['run', '--ds', '2024-01-03'], { cwd: dir }).code).toBe(0);
    expect(await snapshot(db)).toEqual(once);

    const st = await state({ projectDir: dir, profilesDir: dir, adapters: duckdbProvider, end: '2024-01-09' });
    expect(st).toEqual([{ uniqueId: 'model.bf.events', name: 'events', batchSize: 'day', done: ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-06', '2024-01-07'], failed: [], missing: ['2024-01-08', '2024-01-09'] }]);
    const text = cli(['state', '--end', '2024-01-09'], { cwd: dir });
    expect(text.stdout).toContain('model.bf.events (batch_size day): 7 done, 0 failed, 2 missing');
    expect(text.stdout).toContain('done:    2024-01-01..2024-01-07');
    expect(text.stdout).toContain('missing: 2024-01-08..2024-01-09');
  });

  it('a failed day stops later days for the failed node and its descendants only, and is reported', async () => {
    const dir = project({
      'models/flaky.sql': "select {% if ds == '2024-01-02' %} error('boom on ' || '{{ ds }}') {% else %} 1 {% endif %} as x",
      'models/after_flaky.sql': "select x from {{ ref('flaky') }}",
    });
    const r = cli(['run', '--start', '2024-01-01', '--end', '2024-01-04'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Backfill 2024-01-01\.\.2024-01-04: 1 of 4 day\(s\) OK/);
    expect(r.stdout).toMatch(/2024-01-02 {2}FAILED {2}error: model\.bf\.flaky/);
    const summary = JSON.parse(readFileSync(join(dir, 'target/backfill_results.json'), 'utf8'));
    const day4 = summary.days.find((d: { ds: string }) => d.ds === '2024-01-04');
    expect(day4.blocked.sort()).toEqual(['model.bf.after_flaky', 'model.bf.flaky']);
    expect(day4.results.map((x: { unique_id: string }) => x.unique_id).sort()).toEqual(['model.bf.events', 'model.bf.raw_events']);
    // The independent branch kept going: events has every day.
    expect((await snapshot(join(dir, 'test.duckdb'))).length).toBe(4);
    const st = await state({ projectDir: dir, profilesDir: dir, adapters: duckdbProvider, start: '2024-01-01', end: '2024-01-05' });
    expect(st[0]!.missing).toEqual(['2024-01-05']);
    // --fail-fast ends the backfill at the failed day.
    const ff = cli(['run', '--start', '2024-01-01', '--end', '2024-01-04', '--fail-fast'], { cwd: dir });
    expect(ff.code).toBe(1);
    expect(ff.stdout).toMatch(/Backfill 2024-01-01\.\.2024-01-04: 1 of 4 day\(s\) OK/);
    expect(ff.stdout).toContain('not run: 2024-01-03, 2024-01-04');
  });

  it('--start after --end and a bad date are clear usage errors', () => {
    const dir = project();
    const r = cli(['run', '--start', '2024-01-07', '--end', '2024-01-01'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error[USAGE]: --start 2024-01-07 is after --end 2024-01-01');
    const r2 = cli(['run', '--start', '2024-02-30', '--end', '2024-03-01'], { cwd: dir });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('--start must be a date like 2024-01-31, got `2024-02-30`');
    const r3 = cli(['run', '--start', '2024-01-01'], { cwd: dir });
    expect(r3.stderr).toContain('a backfill needs both --start and --end');
  });

  it('ds_offset: -1 makes the default ds yesterday', () => {
    const now = new Date('2024-03-01T05:00:00Z');
    expect(defaultDs({ ds_offset: -1 }, now)).toBe('2024-02-29');
    expect(defaultDs({}, now)).toBe('2024-03-01');
    expect(() => defaultDs({ ds_offset: 'yesterday' }, now)).toThrow(/`ds_offset` must be an integer/);
    const dir = makeProject({ 'dbt_project.yml': PROJECT('off', 'ds_offset: -1\n'), 'profiles.yml': PROFILE('off'), 'models/m.sql': "select '{{ ds }}' as d" });
    const r = cli(['run'], { cwd: dir });
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect(r.stdout).toContain(`(ds ${yesterday})`);
  });
});
