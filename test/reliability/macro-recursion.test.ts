// Endless macro recursion is a located error naming the chain, as Jinja's recursion limit gives one.
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/project.js';
import { project } from './helpers.js';

describe('macro recursion', () => {
  it('a macro that calls itself', () => {
    const dir = project('rec1', {
      'macros/loop.sql': "\n\n{% macro forever(n) %}{{ forever(n + 1) }}{% endmacro %}\n",
      'models/m.sql': 'select {{ forever(1) }} as x',
    });
    const r = cli(['compile'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error[JINJA_RENDER] macros/loop.sql:3 (m): macro recursion deeper than 200 calls: forever → forever → … (called from forever)');
    expect(r.stderr).not.toContain('Maximum call stack');
  });

  it('two macros in different files calling each other', () => {
    const dir = project('rec2', {
      'macros/ping.sql': "{% macro ping(n) %}{{ pong(n) }}{% endmacro %}\n",
      'macros/pong.sql': "\n{% macro pong(n) %}{% if n >= 0 %}{{ ping(n + 1) }}{% endif %}{% endmacro %}\n",
      'models/m.sql': 'select {{ ping(1) }} as x',
    });
    const r = cli(['compile'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[JINJA_RENDER\] macros\/(ping\.sql:1|pong\.sql:2) \(m\): macro recursion deeper than 200 calls: (ping → pong → ping|pong → ping → pong) → … \(called from ping\)/);
    expect(r.stderr).toContain('hint: a recursive macro needs a case that stops calling');
  });

  it('recursion that ends is fine', () => {
    const dir = project('rec3', {
      'macros/count.sql': "{% macro countdown(n) %}{% if n > 0 %}{{ n }},{{ countdown(n - 1) }}{% else %}0{% endif %}{% endmacro %}\n",
      'models/m.sql': "select '{{ countdown(50) }}' as x",
    });
    const r = cli(['compile'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
  });
});
