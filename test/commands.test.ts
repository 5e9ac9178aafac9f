// The small commands: init, clean, debug, profile lookup, usage errors.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, makeProject, PROFILE, PROJECT, tempDir } from './helpers/project.js';

describe('commands', () => {
  it('init scaffolds a project that builds; clean removes target/', () => {
    const parent = tempDir('cairn-init-');
    const r = cli(['init', 'my_proj'], { cwd: parent });
    expect(r.code).toBe(0);
    const dir = join(parent, 'my_proj');
    const b = cli(['build'], { cwd: dir });
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/PASS=2 WARN=0 ERROR=0 SKIP=0 TOTAL=2/);
    expect(existsSync(join(dir, 'target/manifest.json'))).toBe(true);
    expect(cli(['clean'], { cwd: dir }).stdout).toContain('Removed target');
    expect(existsSync(join(dir, 'target'))).toBe(false);
    const again = cli(['init', 'my_proj'], { cwd: parent });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
    expect(cli(['init', 'bad-name'], { cwd: parent }).code).toBe(2);
  });

  it('debug reports each check, and a connection failure with exit 1', () => {
    const dir = makeProject({ 'dbt_project.yml': PROJECT('dbg'), 'profiles.yml': PROFILE('dbg'), 'models/a.sql': 'select 1' });
    const ok = cli(['debug'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/connection: OK +DuckDB v\d/);
    mkdirSync(join(dir, 'dir.duckdb')); // a folder where the database file should be
    writeFileSync(join(dir, 'profiles.yml'), PROFILE('dbg').replace('test.duckdb', 'dir.duckdb'));
    const bad = cli(['debug'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/connection: ERROR .*cannot open DuckDB database/);
  });

  it('profiles.yml is found through --profiles-dir and DBT_PROFILES_DIR', () => {
    const dir = makeProject({ 'dbt_project.yml': PROJECT('prof'), 'elsewhere/profiles.yml': PROFILE('prof'), 'models/a.sql': 'select 1 as x' });
    expect(cli(['run'], { cwd: dir, env: { DBT_PROFILES_DIR: undefined, HOME: dir } }).code).toBe(2);
    expect(cli(['run', '--profiles-dir', 'elsewhere'], { cwd: dir }).code).toBe(0);
    expect(cli(['run'], { cwd: dir, env: { DBT_PROFILES_DIR: join(dir, 'elsewhere') } }).code).toBe(0);
    renameSync(join(dir, 'elsewhere'), join(dir, '.dbt'));
    expect(cli(['run'], { cwd: dir, env: { DBT_PROFILES_DIR: undefined, HOME: dir } }).code).toBe(0);
  });

  it('usage errors exit 2', () => {
    expect(cli(['frobnicate']).code).toBe(2);
    expect(cli(['run', '--no-such-flag']).code).toBe(2);
    const dir = makeProject({ 'dbt_project.yml': PROJECT('u'), 'profiles.yml': PROFILE('u'), 'models/a.sql': 'select 1' });
    const r = cli(['run', '--threads', 'many'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--threads must be a positive integer/);
    expect(cli(['run', '--ds', '2024-13'], { cwd: dir }).code).toBe(2);
  });
});
