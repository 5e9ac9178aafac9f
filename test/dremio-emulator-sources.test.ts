// The emulator's source types, each refusal on its own (test/dremio-emulator/source-types.ts): the
// emulator is worth its strictness, so every place where Dremio refuses something is asserted here.
import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './dremio-emulator/server.js';
import { client } from './helpers/emulator-client.js';
import { tempDir } from './helpers/project.js';

let em: Emulator;
let storage: string;
let c: ReturnType<typeof client>;

beforeAll(async () => {
  storage = tempDir('cairn-emu-src-');
  mkdirSync(join(storage, 'in'));
  writeFileSync(join(storage, 'in', 'a.csv'), 'id\n7\n');
  em = await startEmulator({
    sources: ['lake'], sourceTypes: { s3lake: 'S3', arctic: 'ARCTIC' }, catalogs: ['nessie'], restCatalogs: ['polaris'],
    spaces: ['analytics'], folders: [['polaris', 'ns']], storageRoots: { files: storage }, jobPolls: 0,
  });
  c = client(em);
  await c.login();
});
afterAll(async () => {
  await em?.close();
  rmSync(storage, { recursive: true, force: true });
});

const error = async (sql: string, context: string[] | null = null): Promise<string> => {
  const r = await c.run(sql, context);
  expect(r.status.jobState).toBe('FAILED');
  return r.status.errorMessage as string;
};

const NOT_DML = (t: string) => `UNSUPPORTED_OPERATION ERROR: Table [${t}] is not configured to support DML operations`;

describe('source types (emulator test double)', () => {
  it('GET /catalog/by-path reports each source\'s real type', async () => {
    const types: Record<string, string> = {};
    for (const s of ['$scratch', 'lake', 's3lake', 'nessie', 'arctic', 'polaris']) {
      const r = await c.call('GET', `/catalog/by-path/${encodeURIComponent(s)}`);
      expect(r.status).toBe(200);
      types[s] = r.json.type;
    }
    expect(types).toEqual({ $scratch: 'INTERNAL', lake: 'NAS', s3lake: 'S3', nessie: 'NESSIE', arctic: 'ARCTIC', polaris: 'RESTCATALOG' });
  });

  describe('$scratch (INTERNAL): CTAS writes Parquet', () => {
    beforeAll(async () => {
      await c.ok(`create table "$scratch"."p" as select 1 as id, 'a' as v`);
    });

    it('reports the CTAS table as Parquet in the catalog', async () => {
      const r = await c.call('GET', `/catalog/by-path/${encodeURIComponent('$scratch')}/p`);
      expect(r.json).toMatchObject({ entityType: 'dataset', format: { type: 'Parquet' } });
    });

    it('refuses INSERT', async () => {
      expect(await error(`insert into "$scratch"."p" select 2, 'b'`)).toBe(NOT_DML('$scratch.p'));
    });
    it('refuses MERGE', async () => {
      expect(await error(`merge into "$scratch"."p" as d using (select 1 as id, 'z' as v) as s on (s.id = d.id) when matched then update set v = s.v`)).toBe(NOT_DML('$scratch.p'));
    });
    it('refuses DELETE', async () => {
      expect(await error(`delete from "$scratch"."p" where id = 1`)).toBe(NOT_DML('$scratch.p'));
    });
    it('refuses UPDATE', async () => {
      expect(await error(`update "$scratch"."p" set v = 'x'`)).toBe(NOT_DML('$scratch.p'));
    });
    it('refuses TRUNCATE', async () => {
      expect(await error(`truncate table "$scratch"."p"`)).toBe(NOT_DML('$scratch.p'));
    });
    it('refuses ALTER TABLE column changes', async () => {
      expect(await error(`alter table "$scratch"."p" add columns ("w" int)`)).toBe(NOT_DML('$scratch.p'));
      expect(await error(`alter table "$scratch"."p" drop column "v"`)).toBe(NOT_DML('$scratch.p'));
    });
    it('refuses COPY INTO', async () => {
      expect(await error(`copy into "$scratch"."p" from '@files/in/' file_format 'csv'`)).toBe(NOT_DML('$scratch.p'));
    });
    it('leaves the Parquet table unchanged after every refusal', async () => {
      expect((await c.ok(`select id, v from "$scratch"."p"`)).rows).toEqual([{ id: 1, v: 'a' }]);
    });
    it('makes CREATE TABLE with a column list an Iceberg table, which takes DML', async () => {
      await c.ok(`create table "$scratch"."ice" (id int)`);
      await c.ok(`insert into "$scratch"."ice" values (1)`);
      const r = await c.call('GET', `/catalog/by-path/${encodeURIComponent('$scratch')}/ice`);
      expect(r.json.format).toEqual({ type: 'Iceberg' });
    });
    it('refuses CREATE FOLDER and REST folders', async () => {
      expect(await error(`create folder "$scratch"."f"`)).toBe('UNSUPPORTED_OPERATION ERROR: Source $scratch does not support versioning.');
      const r = await c.call('POST', '/catalog', { entityType: 'folder', path: ['$scratch', 'f'] });
      expect(r.status).toBe(400);
      expect(r.json.errorMessage).toBe('Can not create a folder inside a [SOURCE].');
    });
  });

  describe('file-system sources (NAS, S3): Iceberg tables, folders made by writing', () => {
    it('CTAS makes an Iceberg table that takes INSERT, MERGE, DELETE, UPDATE and ALTER', async () => {
      for (const src of ['lake', 's3lake']) {
        await c.ok(`create table "${src}"."new"."deep"."t" as select 1 as id, 'a' as v`);
        await c.ok(`insert into "${src}"."new"."deep"."t" select 2, 'b'`);
        await c.ok(`merge into "${src}"."new"."deep"."t" as d using (select 2 as id, 'B' as v) as s on (s.id = d.id) when matched then update set v = s.v`);
        await c.ok(`update "${src}"."new"."deep"."t" set v = 'A' where id = 1`);
        await c.ok(`alter table "${src}"."new"."deep"."t" add columns ("w" int)`);
        await c.ok(`delete from "${src}"."new"."deep"."t" where id = 3`);
        expect((await c.ok(`select id, v from "${src}"."new"."deep"."t" order by id`)).rows).toEqual([{ id: 1, v: 'A' }, { id: 2, v: 'B' }]);
        // The folders exist because a table was written in them.
        expect((await c.call('GET', `/catalog/by-path/${src}/new/deep`)).json.entityType).toBe('folder');
        expect((await c.call('GET', `/catalog/by-path/${src}/new/deep/t`)).json.format).toEqual({ type: 'Iceberg' });
      }
    });
    it('refuses CREATE FOLDER: "Source ... does not support versioning."', async () => {
      expect(await error(`create folder if not exists "lake"."f"`)).toBe('UNSUPPORTED_OPERATION ERROR: Source lake does not support versioning.');
      expect(await error(`create folder "s3lake"."f"`)).toBe('UNSUPPORTED_OPERATION ERROR: Source s3lake does not support versioning.');
    });
    it('refuses REST folder creation: 400 "Can not create a folder inside a [SOURCE]."', async () => {
      const r = await c.call('POST', '/catalog', { entityType: 'folder', path: ['lake', 'g'] });
      expect(r.status).toBe(400);
      expect(r.json.errorMessage).toBe('Can not create a folder inside a [SOURCE].');
      expect((await c.call('GET', '/catalog/by-path/lake/g')).status).toBe(404);
    });
    it('refuses branches and AT BRANCH', async () => {
      expect(await error('CREATE BRANCH b IN lake')).toBe('UNSUPPORTED_OPERATION ERROR: Source lake does not support versioning.');
      expect(await error('select * from lake."new"."deep"."t" at branch main')).toBe('UNSUPPORTED_OPERATION ERROR: Source lake does not support versioning.');
    });
  });

  describe('versioned catalogs (NESSIE, ARCTIC)', () => {
    it('take CREATE FOLDER, REST folders and branches', async () => {
      for (const src of ['nessie', 'arctic']) {
        await c.ok(`create folder if not exists "${src}"."f"`);
        expect((await c.call('POST', '/catalog', { entityType: 'folder', path: [src, 'f', 'g'] })).status).toBe(200);
        await c.ok(`create table "${src}"."f"."g"."t" as select 1 as id`);
        await c.ok(`merge into "${src}"."f"."g"."t" as d using (select 1 as id) as s on (s.id = d.id) when matched then update set id = s.id`);
        await c.ok(`CREATE BRANCH "b1" AT BRANCH "main" IN "${src}"`);
        await c.ok(`DROP BRANCH "b1" FORCE IN "${src}"`);
      }
    });
  });

  describe('Iceberg REST catalog (RESTCATALOG, Polaris-like): not versioned', () => {
    it('takes tables (with DML) and views in existing namespaces', async () => {
      await c.ok(`create table "polaris"."ns"."t" as select 1 as id`);
      await c.ok(`insert into "polaris"."ns"."t" values (2)`);
      await c.ok(`create or replace view "polaris"."ns"."v" as select id from "polaris"."ns"."t"`);
      expect((await c.ok(`select count(*) as n from "polaris"."ns"."v"`)).rows).toEqual([{ n: 2 }]);
    });
    it('refuses a table in a namespace that does not exist', async () => {
      expect(await error(`create table "polaris"."nope"."t" as select 1 as id`)).toMatch(/^VALIDATION ERROR: Schema \[polaris\.nope\] is not valid/);
    });
    it('refuses CREATE FOLDER and REST folders', async () => {
      expect(await error(`create folder "polaris"."other"`)).toBe('UNSUPPORTED_OPERATION ERROR: Source polaris does not support versioning.');
      const r = await c.call('POST', '/catalog', { entityType: 'folder', path: ['polaris', 'other'] });
      expect(r.status).toBe(400);
      expect(r.json.errorMessage).toBe('Can not create a folder inside a [SOURCE].');
    });
    it('refuses CREATE / MERGE / DROP BRANCH and AT BRANCH', async () => {
      for (const sql of ['CREATE BRANCH b IN polaris', 'MERGE BRANCH b INTO main IN polaris', 'DROP BRANCH b FORCE IN polaris']) {
        expect(await error(sql)).toBe('UNSUPPORTED_OPERATION ERROR: Source polaris does not support versioning.');
      }
      expect(await error(`select * from "polaris"."ns"."t" at branch "main"`)).toBe('UNSUPPORTED_OPERATION ERROR: Source polaris does not support versioning.');
    });
  });

  describe('versioned lookups: GET /catalog/by-path with versionType / versionValue', () => {
    beforeAll(async () => {
      await c.ok(`create folder if not exists "nessie"."wap"`);
      await c.ok(`CREATE BRANCH "dev" AT BRANCH "main" IN "nessie"`);
      await c.ok(`create table "nessie"."wap"."only_dev" at branch "dev" as select 1 as id`);
    });

    it('without them answers for the default branch', async () => {
      const r = await c.call('GET', '/catalog/by-path/nessie/wap/only_dev');
      expect(r.status).toBe(404);
      expect(r.json.errorMessage).toBe('Could not find entity with path [[nessie, wap, only_dev]]');
      expect((await c.call('GET', '/catalog/by-path/nessie/wap/only_dev?versionType=BRANCH&versionValue=main')).status).toBe(404);
    });
    it('with a branch answers for that branch, under the path the client asked for', async () => {
      const r = await c.call('GET', '/catalog/by-path/nessie/wap/only_dev?versionType=BRANCH&versionValue=dev');
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ entityType: 'dataset', path: ['nessie', 'wap', 'only_dev'] });
      const folder = await c.call('GET', '/catalog/by-path/nessie/wap?versionType=BRANCH&versionValue=dev');
      expect(folder.json.children.map((ch: { path: string[] }) => ch.path)).toEqual([['nessie', 'wap', 'only_dev']]);
    });
    it('refuses an unknown branch: 400 "BRANCH x doesn\'t exist."', async () => {
      const r = await c.call('GET', '/catalog/by-path/nessie/wap/only_dev?versionType=BRANCH&versionValue=nope');
      expect(r.status).toBe(400);
      expect(r.json.errorMessage).toBe("BRANCH nope doesn't exist.");
    });
    it('refuses half a version pair: 400', async () => {
      const r = await c.call('GET', '/catalog/by-path/nessie/wap/only_dev?versionValue=dev');
      expect(r.status).toBe(400);
      expect(r.json.errorMessage).toBe('Missing a valid versionType/versionValue pair for versioned entity.');
    });
    it('ignores them on a source that is not versioned', async () => {
      expect((await c.call('GET', '/catalog/by-path/lake/new/deep/t?versionType=BRANCH&versionValue=dev')).status).toBe(200);
    });
  });
});
