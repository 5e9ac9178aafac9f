// Bad command-line input is a usage error (exit 2) with a short message, never accepted or a dump.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/project.js';
import { project } from './helpers.js';

describe('--ds must be a real calendar date', () => {
  const dir = project('dsd', { 'models/m.sql': "select '{{ ds }}' as d" });
  for (const bad of ['2024-02-30', '2024-13-45', '0000-00-00', '2023-02-29']) {
    it(`rejects ${bad}`, () => {
      const r = cli(['compile', '--ds', bad], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('error[USAGE]');
      expect(r.stderr).toContain(`--ds must be a real date like 2024-01-31, got \`${bad}\``);
    });
  }
  it('accepts a leap day', () => {
    expect(cli(['compile', '--ds', '2024-02-29'], { cwd: dir }).code).toBe(0);
  });
});

describe('flags with values that are not what they say', () => {
  const dir = project('flags', { 'models/m.sql': 'select 1 as x', 'macros/op.sql': "{% macro op(n) %}select {{ n }}{% endmacro %}" });
  it('show --limit abc is a usage error', () => {
    const r = cli(['show', '--select', 'm', '--limit', 'abc'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error[USAGE]: --limit must be a whole number, got `abc`');
  });
  it('run-operation --args that is not YAML blames --args, not --vars', () => {
    const r = cli(['run-operation', 'op', '--args', '{'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error[USAGE]: --args is not valid YAML or JSON');
    expect(r.stderr).not.toContain('--vars');
  });
});

describe('a seed with a huge field', () => {
  it('is a short located error, not DuckDB quoting the row', () => {
    const dir = project('bigseed');
    mkdirSync(join(dir, 'seeds'), { recursive: true });
    writeFileSync(join(dir, 'seeds/big.csv'), `id,blob\n1,"${'x'.repeat(20 * 1024 * 1024)}"\n`);
    const r = cli(['seed'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[CONFIG_INVALID\] seeds\/big\.csv:2: seed CSV row is 20\.0 MB/);
    expect(r.stderr.length).toBeLessThan(1000);
  });
});
