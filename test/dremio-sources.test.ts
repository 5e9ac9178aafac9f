// The Dremio adapter against each source type of the strict emulator (a TEST DOUBLE, test/dremio-emulator,
// that runs SQL on DuckDB and refuses what Dremio refuses): where folders come from, the Iceberg check
// before incremental DML, branch-aware catalog lookups, --wap only on versioned catalogs, and --wap
// reflections made after the merge.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './dremio-emulator/server.js';
import { cliAsync } from './helpers/cli-async.js';
import { client } from './helpers/emulator-client.js';
import { makeProject, PROJECT } from './helpers/project.js';

let em: Emulator | undefined;
afterEach(async () => { await em?.close(); em = undefined; });

const env = { DREMIO_PASSWORD: 'dremio123' };
const profile = (port: number, where: string) => `p:
  target: dev
  outputs:
    dev:
      type: dremio
      software_host: 127.0.0.1
      port: ${port}
      user: dremio
      password: "{{ env_var('DREMIO_PASSWORD') }}"
${where.split('\n').map((l) => `      ${l}`).join('\n')}
      threads: 2
`;

const INCREMENTAL = `{{ config(materialized='incremental', unique_key='id') }}
select id, v from (values (1, 'a'), (2, {% if is_incremental() %}'b2'{% else %}'b'{% endif %})) as t(id, v)`;

const posts = (e: Emulator) => e.requests.filter((r) => r.method === 'POST' && /\/catalog$/.test(r.path));

describe('folders by source type', () => {
  it('a file-system source gets no folder calls: the directories come with the table', async () => {
    em = await startEmulator({ sources: ['lake'], spaces: ['analytics'], jobPolls: 0 });
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'), 'profiles.yml': profile(em.port, 'object_storage_source: lake\nobject_storage_path: raw/v1\ndremio_space: analytics'),
      'models/t.sql': "{{ config(materialized='table') }}\nselect 1 as id",
    });
    const r = await cliAsync(['run'], { cwd: dir, env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(em.jobs.find(/^CREATE FOLDER/)).toEqual([]);
    expect(posts(em)).toEqual([]);
    expect(em.catalog.container(['lake', 'raw', 'v1'])?.kind).toBe('folder');
  });

  it('a space gets its folders through the REST catalog, one level at a time', async () => {
    em = await startEmulator({ sources: ['lake'], jobPolls: 0 });
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'), 'profiles.yml': profile(em.port, 'object_storage_source: lake\ndremio_space: analytics\ndremio_space_folder: marts/gold'),
      'models/v.sql': 'select 1 as id',
    });
    expect((await cliAsync(['run'], { cwd: dir, env })).code).toBe(0);
    expect(posts(em).map((p) => p.status)).toEqual([200, 200, 200]);
    expect(em.catalog.container(['analytics', 'marts', 'gold'])?.kind).toBe('folder');
    expect(em.jobs.find(/^CREATE FOLDER/)).toEqual([]);
  });

  it('a Nessie catalog gets CREATE FOLDER IF NOT EXISTS per level, on the target branch', async () => {
    em = await startEmulator({ catalogs: ['nessie'], jobPolls: 0 });
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'), 'profiles.yml': profile(em.port, 'catalog: nessie\nfolder: marts/gold'),
      'models/t.sql': "{{ config(materialized='table') }}\nselect 1 as id",
    });
    expect((await cliAsync(['run'], { cwd: dir, env })).code).toBe(0);
    expect(em.jobs.find(/^CREATE FOLDER IF NOT EXISTS/).map((j) => j.sql)).toEqual(['CREATE FOLDER IF NOT EXISTS "nessie"."marts"', 'CREATE FOLDER IF NOT EXISTS "nessie"."marts"."gold"']);
    expect(posts(em)).toEqual([]);
  });

  it('an Iceberg REST catalog refuses folders: "Can not create a folder inside a [SOURCE]" is ignored, no CREATE FOLDER is sent', async () => {
    em = await startEmulator({ restCatalogs: ['polaris'], folders: [['polaris', 'ns']], jobPolls: 0 });
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'), 'profiles.yml': profile(em.port, 'catalog: polaris\nfolder: ns'),
      'models/t.sql': "{{ config(materialized='table') }}\nselect 1 as id",
      'models/inc.sql': INCREMENTAL,
    });
    const r = await cliAsync(['run'], { cwd: dir, env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(posts(em).map((p) => p.status)).toEqual([400]);
    expect(em.jobs.find(/^CREATE FOLDER/)).toEqual([]);
    // Iceberg tables there take DML: the second run merges.
    expect((await cliAsync(['run'], { cwd: dir, env })).code).toBe(0);
    expect(em.jobs.find(/^MERGE INTO "polaris"\."ns"\."inc"/).length).toBe(1);
    // The table rebuild stayed in place: this catalog has no branches to rebuild on.
    expect(em.jobs.find(/BRANCH/)).toEqual([]);
  });
});

describe('incremental models need Iceberg tables', () => {
  it('an existing Parquet table is a clear error before any statement of the node', async () => {
    em = await startEmulator({ sources: ['lake'], jobPolls: 0 });
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'), 'profiles.yml': profile(em.port, 'object_storage_source: lake\nobject_storage_path: m'),
      'models/inc.sql': INCREMENTAL,
    });
    // Someone made the table as Parquet (STORE AS), by hand or with format='parquet' earlier.
    const c = client(em);
    await c.login();
    await c.ok(`create table "lake"."m"."inc" store as (type => 'parquet') as select 1 as id, 'a' as v`);
    const before = em.jobs.list().length;
    const r = await cliAsync(['run'], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/incremental model inc: lake\.m\.inc is a Parquet table, not Iceberg, so Dremio cannot MERGE, INSERT or DELETE on it/);
    expect(r.stdout + r.stderr).toMatch(/--full-refresh rebuilds it as Iceberg/);
    // Only the describe of the model's query may have run; no tmp table, no MERGE.
    expect(em.jobs.list().slice(before).filter((j) => !/^SELECT/i.test(j.sql))).toEqual([]);
    // --full-refresh rebuilds it as an Iceberg table, and the next run merges.
    expect((await cliAsync(['run', '--full-refresh'], { cwd: dir, env })).code).toBe(0);
    expect(em.catalog.formatOf(['lake', 'm', 'inc'])).toBe('ICEBERG');
    expect((await cliAsync(['run'], { cwd: dir, env })).code).toBe(0);
    expect(em.jobs.find(/^MERGE INTO "lake"\."m"\."inc"/).length).toBe(1);
  });

  it('an incremental model with format other than iceberg stops before anything runs', async () => {
    em = await startEmulator({ sources: ['lake'], jobPolls: 0 });
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'), 'profiles.yml': profile(em.port, 'object_storage_source: lake'),
      'models/inc.sql': INCREMENTAL.replace("unique_key='id'", "unique_key='id', format='parquet'"),
    });
    const r = await cliAsync(['run'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[CONFIG_INVALID\] models\/inc\.sql \(inc\): incremental model inc has format='parquet'/);
    expect(em.jobs.list()).toEqual([]);
  });
});

describe('branch-aware catalog lookups', () => {
  it('a target branch is sent on every by-path lookup below the catalog, so the second run merges on the branch', async () => {
    em = await startEmulator({ catalogs: ['nessie'], jobPolls: 0 });
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'), 'profiles.yml': profile(em.port, 'catalog: nessie\nfolder: marts\nbranch: dev'),
      'models/inc.sql': INCREMENTAL,
    });
    const c = client(em);
    await c.login();
    await c.ok('CREATE BRANCH "dev" AT BRANCH "main" IN "nessie"');
    expect((await cliAsync(['run'], { cwd: dir, env })).code).toBe(0);
    const second = await cliAsync(['run'], { cwd: dir, env });
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(em.jobs.find(/^MERGE INTO "nessie"\."marts"\."inc"/).length).toBe(1);
    const lookups = em.requests.filter((r) => r.method === 'GET' && r.path.includes('/catalog/by-path/nessie/'));
    expect(lookups.length).toBeGreaterThan(0);
    expect(lookups.every((r) => r.url.endsWith('?versionType=BRANCH&versionValue=dev'))).toBe(true);
    // The table is on dev only; main never saw it.
    expect(em.catalog.dataset(['nessie', 'marts', 'inc'])).toBeUndefined();
    expect(em.catalog.dataset(['nessie@dev', 'marts', 'inc'])).toBeDefined();
  });
});

describe('--wap', () => {
  it('on a catalog that is not versioned (Iceberg REST) is a usage error before anything runs', async () => {
    em = await startEmulator({ restCatalogs: ['polaris'], folders: [['polaris', 'ns']], jobPolls: 0 });
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'), 'profiles.yml': profile(em.port, 'catalog: polaris\nfolder: ns'),
      'models/t.sql': "{{ config(materialized='table') }}\nselect 1 as id",
    });
    const r = await cliAsync(['build', '--wap'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[USAGE\]: --wap needs a versioned catalog \(Nessie \/ Arctic\): catalog `polaris` of target `dev` is a RESTCATALOG source, which has no branches/);
    expect(r.stderr).toMatch(/hint: build without --wap, or set `catalog:` to a Nessie \/ Arctic source/);
    expect(em.jobs.list()).toEqual([]);
  });

  it('reflections are made after MERGE BRANCH, on the published table; lookups during the run use the run branch', async () => {
    em = await startEmulator({ catalogs: ['nessie'], jobPolls: 0 });
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'), 'profiles.yml': profile(em.port, 'catalog: nessie\nfolder: marts'),
      'models/orders.sql': "{{ config(materialized='table') }}\nselect 1 as id, 10 as amount",
      'models/orders_raw_refl.sql': "{{ config(materialized='reflection', reflection_type='raw', display=['id', 'amount']) }}\n-- {{ ref('orders') }}",
    });
    const r = await cliAsync(['build', '--wap'], { cwd: dir, env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8'));
    const branch = results.args.wap_branch as string;
    expect(results.results.find((x: { unique_id: string }) => x.unique_id === 'model.p.orders_raw_refl').message).toMatch(/^reflection deferred: made on main after the merge/);
    expect(r.stdout).toMatch(new RegExp(`merged ${branch} into main[\\s\\S]*write-audit-publish: reflection orders_raw_refl: created`));
    // The reflection is on main's dataset (the run branch is gone).
    const ds = em.catalog.dataset(['nessie', 'marts', 'orders'])!;
    expect(em.reflections.list(ds.id).map((x) => x.name)).toEqual(['orders_raw_refl']);
    // During the run, lookups of the catalog's paths named the run branch.
    const onBranch = em.requests.filter((q) => q.url.includes(`versionValue=${branch}`));
    expect(onBranch.length).toBeGreaterThan(0);
  });
});

describe('cairn debug', () => {
  it('names each root\'s source type and what it means for cairn', async () => {
    em = await startEmulator({ restCatalogs: ['polaris'], jobPolls: 0 });
    const scratch = makeProject({ 'dbt_project.yml': PROJECT('p'), 'profiles.yml': profile(em.port, 'object_storage_source: $scratch'), 'models/a.sql': 'select 1 as id' });
    const r = await cliAsync(['debug'], { cwd: scratch, env });
    expect(r.stdout + r.stderr).toMatch(/object_storage_source \$scratch: OK\s+exists \(source INTERNAL\): CTAS writes Parquet here, so incremental models and snapshots need an Iceberg-capable source/);
    const polaris = makeProject({ 'dbt_project.yml': PROJECT('p'), 'profiles.yml': profile(em.port, 'catalog: polaris'), 'models/a.sql': 'select 1 as id' });
    const p = await cliAsync(['debug'], { cwd: polaris, env });
    expect(p.stdout + p.stderr).toMatch(/catalog polaris: OK\s+exists \(source RESTCATALOG\): not versioned, so no `branch:` and no --wap/);
  });
});
