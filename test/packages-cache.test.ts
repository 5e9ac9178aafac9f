// The partial-parse cache and the parse snapshot with installed packages: a compile served from them
// gives what an uncached compile gives, and an edit to any package file (macro, model, YAML, its
// dbt_project.yml) is seen, with file times in the past so that the caches trust file stats.
import { readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, makeProject, PROFILE } from './helpers/project.js';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** Every compiled file and the manifest's nodes (without per-invocation fields). */
function snapshot(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(`${p.slice(dir.length)}\n${readFileSync(p, 'utf8')}`);
    }
  };
  walk(join(dir, 'target/compiled'));
  const m = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
  out.push(JSON.stringify(m.nodes));
  return out.join('\n');
}

/** Sets every file's times an hour back (the caches do not trust files changed in the last 2 s). */
function age(dir: string): void {
  const old = new Date(Date.now() - 3600_000);
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (e === 'target' || lstatSync(p).isSymbolicLink()) continue;
      if (statSync(p).isDirectory()) walk(p);
      else utimesSync(p, old, old);
    }
  };
  walk(dir);
}

function compile(dir: string, cached: boolean): string {
  const r = cli(['compile'], { cwd: dir, env: cached ? {} : { CAIRN_NO_PARTIAL_PARSE: '1' } });
  expect(r.code, r.stderr + r.stdout).toBe(0);
  return snapshot(dir);
}

describe('caches with installed packages', () => {
  it('a cached compile equals an uncached one, before and after edits to each kind of package file', () => {
    const dir = makeProject({
      'dbt_project.yml': 'name: app\nprofile: app\n',
      'profiles.yml': PROFILE('app'),
      'packages.yml': 'packages:\n  - local: vendor/p\n',
      'models/uses.sql': "select {{ p.money('amount') }} as amount from {{ ref('p', 'base') }}\n",
      'vendor/p/dbt_project.yml': 'name: p\nmodels:\n  p:\n    +materialized: view\n',
      'vendor/p/macros/money.sql': '{% macro money(c) %}{{ c }} / 100{% endmacro %}\n',
      'vendor/p/models/base.sql': 'select 1250 as amount\n',
      'vendor/p/models/schema.yml': 'version: 2\nmodels:\n  - name: base\n    columns:\n      - name: amount\n        data_tests: [not_null]\n',
    });
    dirs.push(dir);
    expect(cli(['deps'], { cwd: dir }).code).toBe(0);
    age(dir);
    const cold = compile(dir, true); // writes the caches
    expect(readdirSync(join(dir, 'target')).some((f) => f.startsWith('partial_parse'))).toBe(true);
    expect(compile(dir, true)).toBe(cold); // served by the parse snapshot
    expect(compile(dir, false)).toBe(cold);
    expect(cold).toContain('select amount / 100 as amount from');
    // Compiled files of package nodes go under the package's name, as dbt lays them out.
    expect(cold).toContain('/target/compiled/p/models/base.sql');

    const edit = (file: string, text: string) => {
      writeFileSync(join(dir, 'vendor/p', file), text);
      age(dir);
      compile(dir, true); // a cached compile after the edit...
      const cached = snapshot(dir);
      expect(compile(dir, false)).toBe(cached); // ...is what an uncached one gives
      return cached;
    };
    // A package macro.
    expect(edit('macros/money.sql', '{% macro money(c) %}round({{ c }} / 100.0, 2){% endmacro %}\n')).toContain('select round(amount / 100.0, 2) as amount from');
    // A package model.
    expect(edit('models/base.sql', 'select 990 as amount\n')).toContain('select 990 as amount');
    // A package's schema YAML: a new generic test.
    expect(edit('models/schema.yml', 'version: 2\nmodels:\n  - name: base\n    columns:\n      - name: amount\n        data_tests: [not_null, unique]\n')).toContain('test.p.unique_base_amount');
    // The package's dbt_project.yml.
    expect(edit('dbt_project.yml', 'name: p\nmodels:\n  p:\n    +materialized: table\n')).toMatch(/"model\.p\.base":\{[^]*?"materialized":"table"/);
  });
});
