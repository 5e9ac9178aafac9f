// Misspelt config keys are warnings with did-you-mean wherever configs are written; --warn-error
// (before or after the command, as dbt's global flag) makes them errors.
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/project.js';
import { project } from './helpers.js';

function typos() {
  return project('typos', {
    'models/a.sql': 'select 1 as x',
    'models/b.sql': "{{ config(materialzed='table', my_team='core') }}\nselect 2 as x",
    'models/c.sql': 'select 3 as x',
    'models/schema.yml': 'version: 2\nmodels:\n  - name: c\n    config:\n      materialzed: table\n      tags: [x]\n      meta: {materialsed: 1}\n',
  }, 'modelz:\n  typos:\n    +materialized: table\nmodels:\n  typos:\n    +materialised: table\n    +dremio_space: lake\n    +owner_team: data\n');
}

describe('misspelt config keys', () => {
  it('are warned about with file, line and did-you-mean in every place, and the run still succeeds', () => {
    const dir = typos();
    const r = cli(['compile'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout + r.stderr;
    expect(out).toContain("dbt_project.yml:3: unknown config key `modelz` in dbt_project.yml; cairn ignores it\n  hint: did you mean `models`?");
    expect(out).toContain('dbt_project.yml:8: unknown config key `+materialised` in `models.typos` of dbt_project.yml; cairn ignores it\n  hint: did you mean `+materialized`? (a custom key belongs under `meta:`)');
    expect(out).toContain('models/schema.yml:5: unknown config key `materialzed` in the config of model `c`; cairn ignores it\n  hint: did you mean `materialized`?');
    expect(out).toContain('models/b.sql:1 (b): unknown config key `materialzed` in `config(...)`; cairn ignores it\n  hint: did you mean `materialized`?');
    // Known adapter keys, custom keys far from any known one, and keys inside meta are not warned about.
    expect(out).not.toContain('dremio_space');
    expect(out).not.toContain('owner_team');
    expect(out).not.toContain('my_team');
    expect(out).not.toContain('materialsed');
    expect(out.match(/unknown config key/g)!.length).toBe(4);
    // The next invocation (served by the parse snapshot) says the same.
    const again = cli(['compile'], { cwd: dir });
    expect((again.stdout + again.stderr).match(/unknown config key/g)!.length).toBe(4);
  });

  it('--warn-error makes them errors, after or before the command', () => {
    const dir = typos();
    for (const args of [['compile', '--warn-error'], ['--warn-error', 'compile']]) {
      const r = cli(args, { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('error[CONFIG_INVALID] dbt_project.yml:3: unknown config key `modelz`');
      expect(r.stderr).toContain('error[CONFIG_INVALID] models/b.sql:1 (b): unknown config key `materialzed`');
    }
  });

  it('a clean project passes --warn-error', () => {
    const dir = project('clean', { 'models/a.sql': "{{ config(materialized='table') }} select 1 as x" }, 'models:\n  clean:\n    +materialized: view\n');
    expect(cli(['run', '--warn-error'], { cwd: dir }).code).toBe(0);
  });
});
