// Secrets (profile passwords/tokens, secret env vars) never reach output, errors or artifacts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, makeProject, PROJECT } from './helpers/project.js';

const SECRET = 'hunter2-very-secret-value';

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

describe('secrets stay secret', () => {
  it('never appear in debug output, run output, errors or target/', () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('sec'),
      'profiles.yml': `sec:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: s.duckdb\n      password: "{{ env_var('CAIRN_TEST_PASSWORD') }}"\n`,
      'models/ok.sql': "select '{{ target.name }}' as t",
      'models/leaky.sql': "select '{{ env_var(\"DBT_ENV_SECRET_TOKEN\") }}' as token from missing_table",
    });
    const env = { CAIRN_TEST_PASSWORD: SECRET, DBT_ENV_SECRET_TOKEN: SECRET };
    const outputs = [cli(['debug'], { cwd: dir, env }), cli(['run'], { cwd: dir, env }), cli(['compile', '--inline'], { cwd: dir, env }), cli(['ls', '--output', 'json'], { cwd: dir, env })];
    expect(outputs[1]!.code).toBe(1);
    for (const o of outputs) {
      expect(o.stdout + o.stderr).not.toContain(SECRET);
    }
    expect(outputs[1]!.stdout).toContain('****');
    for (const f of allFiles(join(dir, 'target'))) expect(readFileSync(f, 'utf8'), f).not.toContain(SECRET);
  });
});
