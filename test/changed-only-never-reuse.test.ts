// `changed_only: false` on a node (folder config in dbt_project.yml, schema YAML or config()): never
// reused, it runs on every `--changed-only` run; `tests: +changed_only: false` reruns every test.
// `ls --select state:stale` says the same. Real DuckDB; model statements counted at the adapter.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duckdbProvider } from '../adapters/duckdb/index.js';
import { build, ls } from '../core/api/index.js';
import { faultyProvider } from './helpers/fault-adapter.js';
import { makeProject, PROFILE, PROJECT } from './helpers/project.js';

const REASON = 'changed_only: false (always runs)';

function project(extra: string): string {
  return makeProject({
    'dbt_project.yml': PROJECT('nr', `models:\n  nr:\n    +materialized: table\n${extra}`),
    'profiles.yml': PROFILE('nr'),
    'seeds/prices.csv': 'sku,price\na,1\nb,2\n',
    'models/priced.sql': "select sku, price * 2 as doubled from {{ ref('prices') }}",
    'models/report.sql': "select count(*) as n from {{ ref('priced') }}",
    'models/audit.sql': "select 1 as checked",
    'models/schema.yml': 'version: 2\nmodels:\n  - name: priced\n    columns:\n      - name: sku\n        data_tests: [unique, not_null]\n',
  });
}

async function counted(dir: string) {
  const adapters = faultyProvider(duckdbProvider, []);
  const r = await build({ projectDir: dir, profilesDir: dir, adapters, changedOnly: true });
  const name = (id: string) => r.project.nodes.get(id)!.name;
  return {
    r,
    ran: [...adapters.calls.keys()].sort(),
    rerun: r.results.filter((x) => !x.reused).map((x) => name(x.uniqueId).replace(/_priced_sku$/, '')).sort(),
    messages: Object.fromEntries(r.results.map((x) => [name(x.uniqueId).replace(/_priced_sku$/, ''), x.message])),
  };
}

const stale = (dir: string) =>
  Object.fromEntries(ls({ projectDir: dir, profilesDir: dir, adapters: duckdbProvider, select: ['state:stale'], output: 'json' }).map((l) => JSON.parse(l)).map((j) => [j.name.replace(/_priced_sku$/, ''), j.stale_reason]));

describe('changed_only: false', () => {
  it.each(['tests', 'data_tests'])('`%s: +changed_only: false` reruns every test on every --changed-only run; models are still reused', async (key) => {
    const dir = project(`${key}:\n  nr:\n    +changed_only: false\n`);
    await counted(dir);
    expect(stale(dir)).toEqual({ unique: REASON, not_null: REASON });
    const second = await counted(dir);
    expect(second.r.success).toBe(true);
    expect(second.ran).toEqual([]);
    expect(second.rerun).toEqual(['not_null', 'unique']);
    expect(second.r.results.filter((x) => !x.reused).every((x) => x.status === 'pass')).toBe(true);
  });

  it('config(changed_only=false) on a model and `config: {changed_only: false}` in schema YAML: they always run, and what reads them rebuilds', async () => {
    const dir = project('');
    writeFileSync(join(dir, 'models/audit.sql'), "{{ config(changed_only=false) }}select 1 as checked");
    writeFileSync(join(dir, 'models/schema.yml'), 'version: 2\nmodels:\n  - name: priced\n    config:\n      changed_only: false\n');
    await counted(dir);
    expect(stale(dir)).toEqual({ audit: REASON, priced: REASON, report: 'priced will be rebuilt' });
    const second = await counted(dir);
    expect(second.ran).toEqual(['audit', 'priced', 'report']);
    expect(second.messages.prices).toBe('reused: code and inputs unchanged');
    // It is still recorded as built: once the setting goes, it is reused again.
    writeFileSync(join(dir, 'models/audit.sql'), 'select 1 as checked');
    writeFileSync(join(dir, 'models/schema.yml'), 'version: 2\nmodels:\n  - name: priced\n');
    expect((await counted(dir)).ran).toEqual([]);
  });
});
