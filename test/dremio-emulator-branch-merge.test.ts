// MERGE BRANCH in the emulator applies the branch's own changes, as Nessie merges commits: a dataset
// written on the target after the branch was created keeps its new data, a dataset replaced on the
// branch replaces the target's, one dropped on the branch is dropped (protocol level).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from './dremio-emulator/server.js';
import { client, startTestEmulator, stopTestEmulator } from './helpers/emulator-client.js';

let em: Emulator;
let storage: string;
let c: ReturnType<typeof client>;
beforeEach(async () => { ({ em, storage, c } = await startTestEmulator()); });
afterEach(async () => { await stopTestEmulator(em, storage); });

const n = async (sql: string) => Number((await c.ok(sql)).rows[0].n);

describe('emulator MERGE BRANCH', () => {
  it('applies only what changed on the branch; concurrent writes on the target survive', async () => {
    await c.ok('CREATE FOLDER IF NOT EXISTS "nessie"."m"');
    await c.ok('CREATE TABLE "nessie"."m"."a" AS SELECT 1 AS id');
    await c.ok('CREATE TABLE "nessie"."m"."b" AS SELECT 1 AS id');
    await c.ok('CREATE TABLE "nessie"."m"."gone" AS SELECT 1 AS id');
    await c.ok('CREATE BRANCH "swap" AT BRANCH "main" IN "nessie"');
    // Meanwhile on main: b gets a row.
    await c.ok('INSERT INTO "nessie"."m"."b" SELECT 2');
    // On the branch: a is rebuilt with 3 rows, gone is dropped.
    await c.ok('DROP TABLE "nessie"."m"."a" AT BRANCH "swap"');
    await c.ok('CREATE TABLE "nessie"."m"."a" AT BRANCH "swap" AS SELECT * FROM (VALUES (1), (2), (3)) AS v(id)');
    await c.ok('DROP TABLE "nessie"."m"."gone" AT BRANCH "swap"');
    await c.ok('MERGE BRANCH "swap" INTO "main" IN "nessie"');
    expect(await n('SELECT count(*) AS n FROM "nessie"."m"."a"')).toBe(3);
    expect(await n('SELECT count(*) AS n FROM "nessie"."m"."b"')).toBe(2);
    const gone = await c.run('SELECT count(*) AS n FROM "nessie"."m"."gone"');
    expect(gone.status.jobState).toBe('FAILED');
  });

  it('a merge into a branch is a write there: merging that branch on carries it (swap branch -> run branch -> main)', async () => {
    await c.ok('CREATE FOLDER IF NOT EXISTS "nessie"."m"');
    await c.ok('CREATE TABLE "nessie"."m"."t" AS SELECT 1 AS id');
    await c.ok('CREATE BRANCH "run" AT BRANCH "main" IN "nessie"');
    await c.ok('CREATE BRANCH "swap" AT BRANCH "run" IN "nessie"');
    await c.ok('DROP TABLE "nessie"."m"."t" AT BRANCH "swap"');
    await c.ok('CREATE TABLE "nessie"."m"."t" AT BRANCH "swap" AS SELECT * FROM (VALUES (1), (2)) AS v(id)');
    await c.ok('MERGE BRANCH "swap" INTO "run" IN "nessie"');
    await c.ok('DROP BRANCH "swap" FORCE IN "nessie"');
    await c.ok('MERGE BRANCH "run" INTO "main" IN "nessie"');
    expect(await n('SELECT count(*) AS n FROM "nessie"."m"."t"')).toBe(2);
  });
});
