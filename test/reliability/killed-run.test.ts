// A run killed outright (SIGKILL: no handler runs) is what `cairn retry` sees next, and retry re-runs
// exactly the nodes that had not finished, not the run before it.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliPath } from '../helpers/project.js';
import { project } from './helpers.js';

const SLOW = "select 1 as n {% if var('slow', false) %}, (select max(a.range + b.range) from range(300000) a, range(300000) b) as c{% endif %}";

describe('cairn retry after a killed run', () => {
  it('retries the unfinished nodes of the killed run', async () => {
    const dir = project('killed', {
      'models/a.sql': 'select 1 as n',
      'models/slow.sql': SLOW,
      'models/after_slow.sql': "select n from {{ ref('slow') }}",
    }, 'models:\n  killed:\n    +materialized: table\n');
    // The run before: everything succeeds.
    expect(cli(['run'], { cwd: dir }).code).toBe(0);

    const child = spawn(process.execPath, [cliPath, 'run', '--threads', '1', '--vars', '{slow: true}'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const t = setTimeout(() => reject(new Error(`slow never started:\n${out}`)), 30_000);
      child.stdout.on('data', (d) => {
        out += d;
        if (/START sql table model main\.slow/.test(out)) { clearTimeout(t); resolve(); }
      });
    });
    await new Promise((r) => setTimeout(r, 300));
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;

    const rr = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8'));
    expect(rr.metadata.status).toBe('running');
    expect(rr.args.vars).toEqual({ slow: true });

    const r = cli(['retry', '--vars', '{slow: false}', '--log-format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const warning = events.find((e) => e.event === 'warning' || e.level === 'warn');
    expect(JSON.stringify(warning)).toMatch(/the last run \(invocation [0-9a-f-]+, started .*\) did not finish: 2 nodes/);
    const started = events.filter((e) => e.event === 'node_start').map((e) => e.unique_id);
    // `a` finished before the kill: it is not run again.
    expect(started.sort()).toEqual(['model.killed.after_slow', 'model.killed.slow']);
    const after = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8'));
    expect(after.metadata.status).toBeUndefined();
    expect(after.results.map((x: { status: string }) => x.status)).toEqual(['success', 'success']);
    expect(existsSync(join(dir, 'target/run_results.progress.jsonl'))).toBe(false);
  });
});
