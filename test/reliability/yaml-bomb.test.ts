// A YAML alias bomb (billion laughs) in any YAML file cairn reads is a located error at once, not
// a hang at 100% CPU. Per-test timeout 10 s: a bomb that is expanded never finishes in that time.
import { appendFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliWithin, project } from './helpers.js';

/** Nine levels of nine aliases each: 9^9 (~387 million) strings once expanded. */
function bomb(key: string, indent = ''): string {
  const lines = [`${indent}${key}:`, `${indent}  l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]`];
  for (let i = 1; i <= 9; i++) lines.push(`${indent}  l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
  return lines.join('\n') + '\n';
}

function expectBomb(r: { code: number; stderr: string }, file: string) {
  expect(r.code).toBe(2);
  // profiles.yml is named by its full path.
  const m = r.stderr.match(new RegExp(`error\\[YAML_ALIAS_LIMIT\\] (?:\\S*/)?${file.replace('.', '\\.')}:(\\d+): .*alias bomb`));
  expect(m, r.stderr).not.toBeNull();
  expect(r.stderr).not.toContain('INTERNAL');
  // Points at one of the alias lines (the anchors start on line 3 of the bomb).
  expect(Number(m![1])).toBeGreaterThan(2);
}

describe('YAML alias bombs', { timeout: 10_000 }, () => {
  it('in a schema file', () => {
    const dir = project('bomb1', { 'models/m.sql': 'select 1 as x', 'models/schema.yml': `version: 2\nmodels:\n  - name: m\n    meta:\n${bomb('laughs', '      ')}` });
    expectBomb(cliWithin(8000, ['compile'], dir), 'models/schema.yml');
  });

  it('in a schema file parsed by the worker thread (large schema)', () => {
    const files: Record<string, string> = { 'models/m.sql': 'select 1 as x' };
    // Over the worker's 256 KB threshold.
    const filler = Array.from({ length: 3000 }, (_x, i) => `  - name: other_${i}\n    description: "${'padding '.repeat(10)}"`).join('\n');
    files['models/a_big.yml'] = `version: 2\nmodels:\n${filler}\n`;
    files['models/b_bomb.yml'] = `version: 2\n${bomb('x')}`;
    const dir = project('bomb2', files);
    expectBomb(cliWithin(8000, ['compile'], dir), 'models/b_bomb.yml');
  });

  it('with merge keys (the `yaml` path)', () => {
    const dir = project('bomb3', { 'models/m.sql': 'select 1 as x', 'models/schema.yml': `version: 2\nbase: &base {a: 1}\nm:\n  <<: *base\n${bomb('x')}` });
    expectBomb(cliWithin(8000, ['compile'], dir), 'models/schema.yml');
  });

  it('in dbt_project.yml', () => {
    const dir = project('bomb4', { 'models/m.sql': 'select 1 as x' }, `vars:\n${bomb('laughs', '  ')}`);
    expectBomb(cliWithin(8000, ['compile'], dir), 'dbt_project.yml');
  });

  it('in profiles.yml', () => {
    const dir = project('bomb5', { 'models/m.sql': 'select 1 as x' });
    appendFileSync(`${dir}/profiles.yml`, bomb('zz_bomb'));
    expectBomb(cliWithin(8000, ['compile'], dir), 'profiles.yml');
  });

  it('in selectors.yml', () => {
    const dir = project('bomb6', { 'models/m.sql': 'select 1 as x', 'selectors.yml': `selectors:\n  - name: s\n    definition: m\n${bomb('zz_bomb')}` });
    expectBomb(cliWithin(8000, ['ls', '--selector', 's'], dir), 'selectors.yml');
  });

  it('ordinary anchors used many times still work', () => {
    const cols = Array.from({ length: 300 }, (_x, i) => `  - name: m${i}\n    columns: *cols`).join('\n');
    const models = Object.fromEntries(Array.from({ length: 300 }, (_x, i) => [`models/m${i}.sql`, 'select 1 as id']));
    const dir = project('anchors', {
      ...models,
      'models/schema.yml': `version: 2\ncommon: &cols\n  - name: id\n    description: the key\n    tests: [not_null]\nmodels:\n${cols}\n`,
    });
    const r = cliWithin(8000, ['compile'], dir);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
  });
});
