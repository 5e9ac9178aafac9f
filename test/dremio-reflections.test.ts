// Aggregate reflections on Dremio (emulator test double, which refuses SUM on non-numeric measures as
// Dremio does): measures get computations by column type, `computations` sets them, and invalid pairs
// are a CairnError naming the reflection, the column and the measure, before anything is sent.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { startEmulator, type Emulator } from './dremio-emulator/server.js';
import { cliAsync } from './helpers/cli-async.js';
import { makeProject, PROJECT, DREMIO_PROFILE } from './helpers/project.js';

let em: Emulator | undefined;
const dirs: string[] = [];
afterEach(async () => { await em?.close(); em = undefined; });
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

const profile = (port: number) => DREMIO_PROFILE(port, 2);
const ORDERS = `{{ config(materialized='table') }}
select cast(1 as int) as id, cast(10.50 as decimal(10, 2)) as amount, 'open' as status, date '2024-01-01' as day, true as paid`;
const project = (port: number, files: Record<string, string>): string => {
  const dir = makeProject({ 'dbt_project.yml': PROJECT('p'), 'profiles.yml': profile(port), 'models/orders.sql': ORDERS, ...files });
  dirs.push(dir);
  return dir;
};
const agg = (cfg: string) => `{{ config(materialized='reflection', reflection_type='aggregate', dimensions=['status'], ${cfg}) }}\n-- {{ ref('orders') }}`;
const measuresOf = (name: string) => em!.reflections.list().find((r) => r.name === name)?.['measureFields'];

describe('aggregate reflection measures (Dremio, emulator)', () => {
  it('defaults numeric columns to SUM + COUNT and others to COUNT; computations set them (list or map)', async () => {
    em = await startEmulator({ sources: ['lake'], spaces: ['analytics'], jobPolls: 0 });
    const dir = project(em.port, {
      'models/r_default.sql': agg("measures=['amount', 'id', 'status', 'day', 'paid']"),
      'models/r_list.sql': agg("measures=['amount', 'status'], computations=['MIN, MAX', 'COUNT, APPROX_COUNT_DISTINCT']"),
      'models/r_map.sql': agg("measures=['amount', 'day'], computations={'day': ['MIN', 'MAX']}"),
    });
    const r = await cliAsync(['build'], { cwd: dir });
    expect(r.stdout + r.stderr).toMatch(/PASS=4 WARN=0 ERROR=0/);
    expect(measuresOf('r_default')).toEqual([
      { name: 'amount', measureTypeList: ['SUM', 'COUNT'] }, { name: 'id', measureTypeList: ['SUM', 'COUNT'] },
      { name: 'status', measureTypeList: ['COUNT'] }, { name: 'day', measureTypeList: ['COUNT'] }, { name: 'paid', measureTypeList: ['COUNT'] },
    ]);
    expect(measuresOf('r_list')).toEqual([{ name: 'amount', measureTypeList: ['MIN', 'MAX'] }, { name: 'status', measureTypeList: ['COUNT', 'APPROX_COUNT_DISTINCT'] }]);
    expect(measuresOf('r_map')).toEqual([{ name: 'amount', measureTypeList: ['SUM', 'COUNT'] }, { name: 'day', measureTypeList: ['MIN', 'MAX'] }]);
  }, 90_000);

  it('SUM on a text column with a declared data_type, or an unknown measure, fails `cairn compile`', async () => {
    em = await startEmulator({ sources: ['lake'], spaces: ['analytics'], jobPolls: 0 });
    const dir = project(em.port, {
      'models/schema.yml': 'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: status\n        data_type: varchar\n',
      'models/r_sum_text.sql': agg("measures=['status'], computations=['SUM, COUNT']"),
    });
    const r = await cliAsync(['compile'], { cwd: dir });
    expect(r.code).toBe(2);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/models\/r_sum_text\.sql \(r_sum_text\): reflection r_sum_text: measure SUM is not allowed on column `status` \(varchar\)/);
    expect(out).toMatch(/hint: set computations for `status`/);
    const dir2 = project(em.port, { 'models/r_avg.sql': agg("measures=['amount'], computations=['AVG']") });
    const r2 = await cliAsync(['compile'], { cwd: dir2 });
    expect(r2.code).toBe(2);
    expect(r2.stdout + r2.stderr).toMatch(/reflection r_avg: unknown measure `AVG` for column `amount`/);
    expect(em.requests.some((x) => x.path.includes('/reflection'))).toBe(false);
  }, 90_000);

  it('at run time, SUM on a DATE column and an unknown column fail the node before any reflection call', async () => {
    em = await startEmulator({ sources: ['lake'], spaces: ['analytics'], jobPolls: 0 });
    const dir = project(em.port, {
      'models/r_sum_day.sql': agg("measures=['day'], computations=['SUM']"),
      'models/r_typo.sql': agg("measures=['amout']"),
    });
    const r = await cliAsync(['build'], { cwd: dir });
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/reflection r_sum_day: measure SUM is not allowed on column `day` \(DATE\)/);
    expect(out).toMatch(/reflection r_typo: measure column `amout` is not a column of the dataset/);
    expect(out).toMatch(/did you mean `amount`\?/);
    expect(em.requests.filter((x) => x.method === 'POST' && /\/reflection$/.test(x.path))).toEqual([]);
    expect(em.reflections.list()).toEqual([]);
  }, 90_000);
});
