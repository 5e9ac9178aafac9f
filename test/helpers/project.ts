// Test helpers: throwaway projects on disk and the real CLI run against them.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const cliPath = join(repoRoot, 'dist/cli/main.js');
/** The one-file CLI (package.json `bin`), what users run; built by scripts/postbuild.mjs. */
export const bundlePath = join(repoRoot, 'dist/cairn.mjs');

/** Every folder made below, removed after each test file (test/helpers/cleanup.ts, vitest setupFiles). */
const made: string[] = [];
export function removeMadeProjects(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true, maxRetries: 3 });
}

/** A new temp folder `<tmp>/<prefix>XXXXXX`, removed after the test file like the projects below. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Writes `files` (path → content) into a new temp folder and returns it. */
export function makeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-test-'));
  made.push(dir);
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), content);
  }
  return dir;
}

/** A copy of sample-project with its own DuckDB file. */
export function copySample(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-sample-'));
  made.push(dir);
  cpSync(join(repoRoot, 'sample-project'), dir, { recursive: true, filter: (src) => !/\.duckdb|\/target(\/|$)/.test(src) });
  return dir;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined>; bin?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [opts.bin ?? cliPath, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export const PROFILE = (name: string, extra = '') => `${name}:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: test.duckdb
      schema: main
      threads: 4
${extra}`;

export const PROJECT = (name: string, extra = '') => `name: ${name}
profile: ${name}
${extra}`;

/** A profile `p` whose `dev` target is the Dremio emulator on `port`, writing to its `lake` source; `extra`: more targets. */
export const DREMIO_PROFILE = (port: number, threads = 1, extra = '') => `p:
  target: dev
  outputs:
    dev:
      type: dremio
      software_host: 127.0.0.1
      port: ${port}
      user: dremio
      password: dremio123
      object_storage_source: lake
      object_storage_path: raw
      dremio_space: analytics
      threads: ${threads}
${extra}`;
