// Throwaway projects for the reliability suite, removed when the file's tests end.
import { rmSync } from 'node:fs';
import { afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cliPath, makeProject, PROFILE, PROJECT, type CliResult } from '../helpers/project.js';

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A DuckDB project named `name` with `files` added (dbt_project.yml/profiles.yml may be overridden). */
export function project(name: string, files: Record<string, string> = {}, projectExtra = ''): string {
  const dir = makeProject({ 'dbt_project.yml': PROJECT(name, projectExtra), 'profiles.yml': PROFILE(name), ...files });
  made.push(dir);
  return dir;
}

/** Registers a folder made elsewhere for removal. */
export function cleanup(dir: string): string {
  made.push(dir);
  return dir;
}

/** The CLI, killed after `timeoutMs` (a hang fails the test instead of holding it for minutes). */
export function cliWithin(timeoutMs: number, args: string[], cwd: string, env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
