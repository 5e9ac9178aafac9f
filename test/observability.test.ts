import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRotatingLog } from '../core/util/rotating-log.js';
import { cli, makeProject, PROFILE, PROJECT } from './helpers/project.js';

describe('run logs', () => {
  it('--log-format json: one event per line with run/node start and end, status, duration, rows, attempt, error', () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('obs', 'models:\n  obs:\n    +materialized: table\n'),
      'profiles.yml': PROFILE('obs'),
      'models/a.sql': 'select range as x from range(5)',
      'models/bad.sql': 'select * from nowhere',
      'models/after_bad.sql': "select * from {{ ref('bad') }}",
    });
    const r = cli(['run', '--log-format', 'json', '--ds', '2024-02-02'], { cwd: dir });
    expect(r.code).toBe(1);
    const ev = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(ev[0]).toMatchObject({ event: 'run_start', target: 'dev', ds: '2024-02-02', total: 3, invocation_id: expect.any(String) });
    expect(ev.at(-1)).toMatchObject({ event: 'run_end', success: false, pass: 1, error: 1, skip: 1, total: 3 });
    const end = (id: string) => ev.find((e) => e.event === 'node_end' && e.unique_id === `model.obs.${id}`);
    expect(end('a')).toMatchObject({ status: 'success', rows_affected: 5, attempt: 1, duration: expect.any(Number) });
    expect(end('bad')).toMatchObject({ status: 'error', attempt: 1, error: expect.stringContaining('nowhere') });
    expect(end('after_bad')).toMatchObject({ status: 'skipped' });
    expect(ev.filter((e) => e.event === 'node_start').map((e) => e.unique_id).sort()).toEqual(['model.obs.a', 'model.obs.bad']);
    for (const e of ev) expect(e.ts).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    // The text log keeps the same run in plain lines, without colour codes.
    const log = readFileSync(join(dir, 'logs/cairn.log'), 'utf8');
    expect(log).toMatch(/Running with cairn on target dev \(ds 2024-02-02\): 3 nodes/);
    expect(log).toMatch(/ERROR creating sql table model main\.bad/);
    expect(log).not.toContain('\x1b[');
    // CI output stays plain lines: no progress line control codes.
    const text = cli(['run', '--select', 'a'], { cwd: dir, env: { CI: 'true' } });
    expect(text.stdout).not.toContain('\r');
    expect(readFileSync(join(dir, 'logs/cairn.log'), 'utf8').match(/Running with cairn/g)!.length).toBe(2);
  });

  it('cairn.log rotates past its size, keeping a bounded number of old logs', () => {
    const dir = makeProject({ 'x': '' });
    const path = join(dir, 'logs/cairn.log');
    mkdirSync(join(dir, 'logs'));
    for (let i = 0; i < 5; i++) {
      writeFileSync(path, `run ${i}\n`.repeat(100));
      openRotatingLog(path, { maxBytes: 100, keep: 3 }).write(`fresh ${i}`);
    }
    expect(readFileSync(path, 'utf8')).toBe('fresh 4\n');
    expect(readFileSync(`${path}.1`, 'utf8')).toMatch(/^run 4\n/);
    expect(readFileSync(`${path}.3`, 'utf8')).toMatch(/^run 2\n/);
    expect(existsSync(`${path}.4`)).toBe(false);
  });
});

describe('programmatic API', () => {
  it('loadProject and build from the package entry return typed results', async () => {
    const { loadProject, build } = await import('../index.js');
    const dir = makeProject({
      'dbt_project.yml': PROJECT('api'),
      'profiles.yml': PROFILE('api'),
      'models/m.sql': "{{ config(materialized='table', retries=1) }} select 1 as x",
      'models/v.sql': "select x from {{ ref('m') }}",
    });
    const p = loadProject({ projectDir: dir, profilesDir: dir });
    expect([...p.nodes.keys()].sort()).toEqual(['model.api.m', 'model.api.v']);
    const r = await build({ projectDir: dir, profilesDir: dir, ds: '2024-01-01' });
    expect(r.success).toBe(true);
    const statuses: string[] = r.results.map((x) => x.status);
    expect(statuses).toEqual(['success', 'success']);
    expect(r.results[0]!.attempts).toBe(1);
    expect(r.project.ctx.ds).toBe('2024-01-01');
  });
});
