import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, makeProject, PROFILE, PROJECT } from '../helpers/project.js';
import { queryDuckdb } from '../helpers/duckdb.js';

const V1 = 'id,status,updated_at\n1,placed,2024-01-01 00:00:00\n2,placed,2024-01-01 00:00:00\n3,placed,2024-01-01 00:00:00\n';
// Row 1 changes, row 2 is deleted, row 4 is new.
const V2 = 'id,status,updated_at\n1,shipped,2024-01-02 00:00:00\n3,placed,2024-01-01 00:00:00\n4,placed,2024-01-02 00:00:00\n';

function project(snapshot: string): string {
  return makeProject({
    'dbt_project.yml': PROJECT('snap'),
    'profiles.yml': PROFILE('snap'),
    'seeds/orders.csv': V1,
    'snapshots/orders_snapshot.sql': snapshot,
  });
}


describe('snapshots', () => {
  it('timestamp strategy with hard_deletes: invalidate tracks a changed and a deleted row across two runs', async () => {
    const dir = project(`{% snapshot orders_snapshot %}
{{ config(unique_key='id', strategy='timestamp', updated_at='updated_at', hard_deletes='invalidate') }}
select * from {{ ref('orders') }}
{% endsnapshot %}
`);
    const first = cli(['build'], { cwd: dir });
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/PASS=2 WARN=0 ERROR=0 SKIP=0 TOTAL=2/);
    writeFileSync(join(dir, 'seeds/orders.csv'), V2);
    const second = cli(['build'], { cwd: dir });
    expect(second.code).toBe(0);
    const r = await queryDuckdb(join(dir, 'test.duckdb'),
      "select id, status, strftime(dbt_valid_from, '%Y-%m-%d') as vf, dbt_valid_to is null as cur, strftime(dbt_valid_to, '%Y-%m-%d') as vt, length(dbt_scd_id) as l from main.orders_snapshot order by id, dbt_valid_from");
    expect(r.map(({ id, status, vf, cur }) => ({ id, status, vf, cur }))).toEqual([
      { id: 1, status: 'placed', vf: '2024-01-01', cur: false },
      { id: 1, status: 'shipped', vf: '2024-01-02', cur: true },
      { id: 2, status: 'placed', vf: '2024-01-01', cur: false },
      { id: 3, status: 'placed', vf: '2024-01-01', cur: true },
      { id: 4, status: 'placed', vf: '2024-01-02', cur: true },
    ]);
    expect(r[0]!.vt).toBe('2024-01-02');
    expect(r.every((x) => x.l === 32)).toBe(true);
    // A third run with no change adds nothing.
    expect(cli(['snapshot'], { cwd: dir }).code).toBe(0);
    expect((await queryDuckdb(join(dir, 'test.duckdb'), 'select count(*) as n from main.orders_snapshot'))[0]!.n).toBe(5);
  });

  it('check strategy with hard_deletes: new_record, defined in YAML', async () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('snap'),
      'profiles.yml': PROFILE('snap'),
      'seeds/orders.csv': V1,
      'snapshots/snapshots.yml': `snapshots:
  - name: orders_snapshot
    relation: ref('orders')
    config:
      unique_key: id
      strategy: check
      check_cols: [status]
      hard_deletes: new_record
`,
    });
    expect(cli(['build'], { cwd: dir }).code).toBe(0);
    writeFileSync(join(dir, 'seeds/orders.csv'), V2);
    expect(cli(['build'], { cwd: dir }).code).toBe(0);
    const r = await queryDuckdb(join(dir, 'test.duckdb'),
      'select id, status, dbt_valid_to is null as cur, dbt_is_deleted as del from main.orders_snapshot order by id, dbt_valid_from');
    expect(r).toEqual([
      { id: 1, status: 'placed', cur: false, del: 'False' },
      { id: 1, status: 'shipped', cur: true, del: 'False' },
      { id: 2, status: 'placed', cur: false, del: 'False' },
      { id: 2, status: 'placed', cur: true, del: 'True' },
      { id: 3, status: 'placed', cur: true, del: 'False' },
      { id: 4, status: 'placed', cur: true, del: 'False' },
    ]);
  });

  it('a snapshot without unique_key is an error naming file and line, before anything runs', () => {
    const dir = project(`-- orders history

{% snapshot orders_snapshot %}
{{ config(strategy='timestamp', updated_at='updated_at') }}
select * from {{ ref('orders') }}
{% endsnapshot %}
`);
    const r = cli(['build'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/snapshots\/orders_snapshot\.sql:3.*snapshot `orders_snapshot` has no unique_key/);
    expect(r.stdout).not.toMatch(/START/);
  });
});
