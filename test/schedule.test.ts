import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duckdbProvider } from '../adapters/duckdb/index.js';
import { serveSchedules } from '../core/api/schedule.js';
import { parseSchedules, startScheduler, type ScheduleDef } from '../core/orchestration/schedule.js';
import { FakeClock } from './helpers/fake-clock.js';
import { cli, cliPath, makeProject, PROFILE, PROJECT } from './helpers/project.js';

const at = (s: string) => new Date(s).getTime();
const def = (o: Partial<ScheduleDef>): ScheduleDef => ({ name: 's', cron: '*/15 * * * *', timezone: 'UTC', command: 'build', ...o });

describe('schedules under a fake clock', () => {
  it('fires at the cron times, in the schedule\'s timezone', async () => {
    const clock = new FakeClock(at('2024-03-30T10:07:00Z'));
    const fired: string[] = [];
    const s = startScheduler({
      schedules: [def({ name: 'q', cron: '*/15 * * * *' }), def({ name: 'berlin6', cron: '0 6 * * *', timezone: 'Europe/Berlin' })],
      clock,
      runJob: async (d, runId, t) => { fired.push(`${d.name}@${t.toISOString()} ${runId}`); return true; },
    });
    await clock.advanceTo(at('2024-03-30T11:00:00Z'));
    expect(fired).toEqual([
      'q@2024-03-30T10:15:00.000Z q__20240330T101500Z',
      'q@2024-03-30T10:30:00.000Z q__20240330T103000Z',
      'q@2024-03-30T10:45:00.000Z q__20240330T104500Z',
      'q@2024-03-30T11:00:00.000Z q__20240330T110000Z',
    ]);
    fired.length = 0;
    // 06:00 Berlin is 05:00 UTC before the DST switch on 31 March and 04:00 UTC after it.
    await clock.advanceTo(at('2024-04-01T12:00:00Z'));
    expect(fired.filter((f) => f.startsWith('berlin6'))).toEqual([
      'berlin6@2024-03-31T04:00:00.000Z berlin6__20240331T040000Z',
      'berlin6@2024-04-01T04:00:00.000Z berlin6__20240401T040000Z',
    ]);
    await s.stop();
  });

  it('never runs two of the same schedule at once; stop waits for the running job', async () => {
    const clock = new FakeClock(at('2024-01-01T00:00:30Z'));
    const started: string[] = [];
    const skipped: string[] = [];
    let finish!: () => void;
    let running = 0;
    let maxRunning = 0;
    const s = startScheduler({
      schedules: [def({ name: 'm', cron: '* * * * *' })],
      clock,
      onLog: (e) => { if (e.type === 'skip') skipped.push(e.at.toISOString()); },
      runJob: async (_d, id) => {
        started.push(id);
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise<void>((r) => (finish = r));
        running--;
        return true;
      },
    });
    await clock.advanceTo(at('2024-01-01T00:03:30Z'));
    expect(started).toEqual(['m__20240101T000100Z']);
    expect(skipped).toEqual(['2024-01-01T00:02:00.000Z', '2024-01-01T00:03:00.000Z']);
    finish();
    await clock.advanceTo(at('2024-01-01T00:04:30Z'));
    expect(started).toEqual(['m__20240101T000100Z', 'm__20240101T000400Z']);
    expect(maxRunning).toBe(1);
    let stopped = false;
    const stopping = s.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(stopped).toBe(true);
  });

  it('a real scheduled build writes its artifacts under target/runs/<run_id> with the fire date as ds', async () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('sch', 'schedules:\n  - name: nightly\n    cron: "0 2 * * *"\n    select: [m]\n    vars: {k: 7}\n'),
      'profiles.yml': PROFILE('sch'),
      'models/m.sql': "select '{{ ds }}' as ds, {{ var('k') }} as k",
      'models/other.sql': 'select 1 as x',
    });
    const clock = new FakeClock(at('2024-05-01T12:00:00Z'));
    const done: Array<{ runId: string; success: boolean }> = [];
    const s = serveSchedules({
      projectDir: dir, profilesDir: dir, adapters: duckdbProvider, clock,
      onLog: (e) => { if (e.type === 'done') done.push({ runId: e.runId, success: e.success }); },
    });
    await clock.advanceTo(at('2024-05-02T03:00:00Z'), async () => { for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 30)); });
    for (let i = 0; i < 2400 && done.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    await s.stop();
    expect(done).toEqual([{ runId: 'nightly__20240502T020000Z', success: true }]);
    const rr = JSON.parse(readFileSync(join(dir, 'target/runs/nightly__20240502T020000Z/run_results.json'), 'utf8'));
    expect(rr.results.map((r: { unique_id: string }) => r.unique_id)).toEqual(['model.sch.m']);
    expect(rr.args).toMatchObject({ ds: '2024-05-02', schedule: 'nightly', vars: { k: 7 } });
    expect(existsSync(join(dir, 'target/runs/nightly__20240502T020000Z/manifest.json'))).toBe(true);
  });
});

describe('bad schedules', () => {
  it('an invalid cron or timezone names the schedule', () => {
    expect(() => parseSchedules([{ name: 'hourly', cron: '61 * * * *' }])).toThrow(/schedule `hourly`: invalid cron expression `61 \* \* \* \*`: Invalid value for minute: 61/);
    expect(() => parseSchedules([{ name: 'eu', cron: '0 6 * * *', timezone: 'Europe/Berlim' }])).toThrow(/schedule `eu`: unknown timezone `Europe\/Berlim`/);
    expect(() => parseSchedules([{ name: 'a', cron: '0 * * * *' }, { name: 'a', cron: '0 * * * *' }])).toThrow(/schedule `a`: is defined twice/);
    const dir = makeProject({
      'dbt_project.yml': PROJECT('bad', 'schedules:\n  - name: nightly\n    cron: "0 6 * * *"\n    timezone: Mars/Olympus\n'),
      'profiles.yml': PROFILE('bad'),
      'models/m.sql': 'select 1 as x',
    });
    const r = cli(['schedule', '--list'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error[SCHEDULE_INVALID] dbt_project.yml: schedule `nightly`: unknown timezone `Mars/Olympus`');
  });

  it('--list prints next fire times', () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('ok', 'schedules:\n  - name: nightly\n    cron: "30 1 * * *"\n    select: tag:nightly\n'),
      'profiles.yml': PROFILE('ok'),
      'models/m.sql': 'select 1 as x',
    });
    const r = cli(['schedule', '--list'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^nightly {2}30 1 \* \* \* {2}\(UTC\) {2}build --select tag:nightly\n {2}next: \d{4}-\d{2}-\d{2} 01:30:00\+00:00\n/);
    expect(r.stdout.match(/next:/g)!.length).toBe(3);
  });

  it("--list prints fire times in the schedule's own timezone, with its offset", () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('tz', 'schedules:\n  - name: berlin\n    cron: "0 9 * * *"\n    timezone: Europe/Berlin\n'),
      'profiles.yml': PROFILE('tz'),
      'models/m.sql': 'select 1 as x',
    });
    const r = cli(['schedule', '--list'], { cwd: dir });
    expect(r.code).toBe(0);
    const next = [...r.stdout.matchAll(/next: (.*)/g)].map((m) => m[1]);
    expect(next).toHaveLength(3);
    for (const n of next) expect(n).toMatch(/^\d{4}-\d{2}-\d{2} 09:00:00\+0[12]:00$/);
  });

  it('cairn schedule serves until SIGTERM and then exits cleanly', async () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('srv', 'schedules:\n  - name: yearly\n    cron: "0 0 1 1 *"\n'),
      'profiles.yml': PROFILE('srv'),
      'models/m.sql': 'select 1 as x',
    });
    const child = spawn(process.execPath, [cliPath, 'schedule'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no start line: ${out}`)), 30_000);
      child.stdout.on('data', (d) => { out += d; if (/next run at/.test(out)) { clearTimeout(t); resolve(); } });
    });
    expect(out).toMatch(/schedule yearly: next run at \d{4}-01-01T00:00:00\.000Z/);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(0);
    expect(out).toContain('scheduler stopped');
  });
});
