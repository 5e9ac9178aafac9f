// adapter.dispatch with an installed package: the package's `duckdb__` / `default__` macros, the
// root project's override in front of them, and `dispatch:` config changing that order.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, makeProject, PROFILE } from './helpers/project.js';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function compiled(extraProject: string, rootMacros: string): string {
  const dir = makeProject({
    'dbt_project.yml': `name: app\nprofile: app\n${extraProject}`,
    'profiles.yml': PROFILE('app'),
    'packages.yml': 'packages:\n  - local: vendor/fmt\n',
    'vendor/fmt/dbt_project.yml': 'name: fmt\n',
    'vendor/fmt/macros/fmt.sql': "{% macro money(x) %}{{ return(adapter.dispatch('money', 'fmt')(x)) }}{% endmacro %}\n"
      + "{% macro default__money(x) %}'default ' || {{ x }}{% endmacro %}\n"
      + "{% macro duckdb__money(x) %}'fmt duckdb ' || {{ x }}{% endmacro %}\n",
    'macros/override.sql': rootMacros,
    'models/m.sql': "select {{ fmt.money('1') }} as v\n",
  });
  dirs.push(dir);
  expect(cli(['deps'], { cwd: dir }).code).toBe(0);
  const r = cli(['compile'], { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return readFileSync(join(dir, 'target/compiled/app/models/m.sql'), 'utf8').trim();
}

describe('adapter.dispatch with an installed package', () => {
  it("finds the package's duckdb__ implementation before its default__", () => {
    expect(compiled('', '')).toBe("select 'fmt duckdb ' || 1 as v");
  });
  it("the root project's implementation comes first", () => {
    expect(compiled('', "{% macro default__money(x) %}'root default ' || {{ x }}{% endmacro %}\n")).toBe("select 'root default ' || 1 as v");
  });
  it('`dispatch:` config sets the order for the namespace', () => {
    const cfg = 'dispatch:\n  - macro_namespace: fmt\n    search_order: [fmt, app]\n';
    expect(compiled(cfg, "{% macro default__money(x) %}'root default ' || {{ x }}{% endmacro %}\n")).toBe("select 'fmt duckdb ' || 1 as v");
  });
});
