// An installed package on Dremio (the emulator test double, test/dremio-emulator): its macros,
// models and generic tests behave as on DuckDB; nothing about packages is engine-specific.
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './dremio-emulator/server.js';
import { cliAsync } from './helpers/cli-async.js';
import { makeProject, PROJECT } from './helpers/project.js';
import { rmSync } from 'node:fs';

let em: Emulator | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await em?.close();
  em = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const profile = (port: number) => `p:
  target: dev
  outputs:
    dev:
      type: dremio
      software_host: 127.0.0.1
      port: ${port}
      user: dremio
      password: "{{ env_var('DREMIO_PASSWORD') }}"
      object_storage_source: lake
      object_storage_path: raw
      dremio_space: analytics
      dremio_space_folder: marts
      threads: 2
`;

describe('packages on Dremio (emulator test double)', () => {
  it('deps, then build: package models, macros (qualified and within the package) and generic tests', async () => {
    em = await startEmulator({ sources: ['lake'], jobPolls: 0 });
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p', 'models:\n  p:\n    +materialized: table\n  money:\n    +materialized: table\n'),
      'profiles.yml': profile(em.port),
      'packages.yml': 'packages:\n  - local: vendor/money\n',
      'vendor/money/dbt_project.yml': 'name: money\nmodels:\n  money:\n    +materialized: view\n',
      'vendor/money/macros/m.sql': '{% macro dollars(c) %}{{ rounded(c ~ " / 100.0") }}{% endmacro %}\n{% macro rounded(e) %}round({{ e }}, 2){% endmacro %}\n'
        + '{% test positive(model, column_name) %}select * from {{ model }} where {{ column_name }} <= 0{% endtest %}\n',
      'vendor/money/models/prices.sql': 'select 1 as id, 1250 as cents union all select 2, 990\n',
      'models/priced.sql': "select id, {{ money.dollars('cents') }} as amount from {{ ref('money', 'prices') }}\n",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: priced\n    columns:\n      - name: amount\n        data_tests: [money.positive, not_null]\n',
    });
    dirs.push(dir);
    const env = { DREMIO_PASSWORD: 'dremio123' };
    const deps = await cliAsync(['deps'], { cwd: dir, env });
    expect(deps.code, deps.stderr).toBe(0);
    const r = await cliAsync(['build'], { cwd: dir, env });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/PASS=4 WARN=0 ERROR=0 SKIP=0 TOTAL=4/);
    expect(await em.db.query(`select id, amount from ${em.db.name(['lake', 'raw', 'priced'])} order by id`)).toEqual([{ id: 1, amount: 12.5 }, { id: 2, amount: 9.9 }]);
    // The root project's `models: {money: ...}` made the package's model a table.
    expect(em.jobs.find(/CREATE TABLE "lake"\."raw"\."prices"/).length).toBe(1);
  });
});
