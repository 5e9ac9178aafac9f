// Throwaway projects for the reliability suite, removed when the file's tests end.
import { rmSync } from 'node:fs';
import { afterAll } from 'vitest';
import { makeProject, PROFILE, PROJECT } from '../helpers/project.js';

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
