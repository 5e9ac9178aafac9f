// The emulator's TABLE(table_snapshot('...')) — a TEST DOUBLE of Dremio's Iceberg metadata function:
// every write commits a new snapshot (its parent the previous one); views and missing tables are
// refused with Dremio's text (CatalogImpl.getMFunctionTable).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from './dremio-emulator/server.js';
import { startTestEmulator, stopTestEmulator, type client } from './helpers/emulator-client.js';

let em: Emulator;
let storage: string;
let c: ReturnType<typeof client>;
beforeAll(async () => { ({ em, storage, c } = await startTestEmulator()); });
afterAll(() => stopTestEmulator(em, storage));

const snapshots = async (t: string) =>
  (await c.ok(`SELECT CAST(snapshot_id AS VARCHAR) AS id, CAST(parent_id AS VARCHAR) AS parent FROM TABLE(table_snapshot('${t}')) ORDER BY committed_at`)).rows as Array<{ id: string; parent: string | null }>;

describe('emulator: TABLE(table_snapshot(...))', () => {
  it('a new snapshot on every write (CTAS, INSERT, MERGE, UPDATE, DELETE, COPY INTO, TRUNCATE), chained by parent', async () => {
    await c.ok('CREATE TABLE lake.snap.t AS SELECT * FROM (VALUES (1, 10)) AS v(id, x)');
    const writes = [
      'INSERT INTO lake.snap.t VALUES (2, 20)',
      'MERGE INTO lake.snap.t AS d USING (SELECT 2 AS id, 21 AS x) AS s ON d.id = s.id WHEN MATCHED THEN UPDATE SET x = s.x',
      'UPDATE lake.snap.t SET x = 0 WHERE id = 1',
      'DELETE FROM lake.snap.t WHERE id = 1',
      `COPY INTO lake.snap.t FROM '@lake/snapin/' FILE_FORMAT 'csv'`,
      'TRUNCATE TABLE lake.snap.t',
    ];
    mkdirSync(join(storage, 'snapin'), { recursive: true });
    writeFileSync(join(storage, 'snapin', 'a.csv'), 'id,x\n5,50\n');
    let h = await snapshots('lake.snap.t');
    expect(h.length).toBe(1);
    expect(h[0]!.parent).toBeNull();
    for (const w of writes) {
      await c.ok(w);
      const next = await snapshots('"lake"."snap"."t"');
      expect(next.length, w).toBe(h.length + 1);
      expect(next[next.length - 1]!.parent, w).toBe(h[h.length - 1]!.id);
      expect(new Set(next.map((s) => s.id)).size).toBe(next.length);
      h = next;
    }
    // Ids are Iceberg-sized (up to 63 bits), so readers must keep them as text.
    expect(h.every((s) => /^[1-9][0-9]*$/.test(s.id))).toBe(true);
    // A read commits nothing.
    await c.ok('SELECT * FROM lake.snap.t');
    expect((await snapshots('lake.snap.t')).length).toBe(h.length);
    // Drop and re-create: a new table with a one-snapshot history.
    await c.ok('DROP TABLE lake.snap.t');
    await c.ok('CREATE TABLE lake.snap.t AS SELECT 1 AS id');
    const fresh = await snapshots('lake.snap.t');
    expect(fresh.length).toBe(1);
    expect(h.map((s) => s.id)).not.toContain(fresh[0]!.id);
  });

  it('refuses a missing table and a view with Dremio\'s messages', async () => {
    const missing = await c.run(`SELECT * FROM TABLE(table_snapshot('lake.snap.nope'))`);
    expect(missing.status.jobState).toBe('FAILED');
    expect(missing.status.errorMessage).toBe("VALIDATION ERROR: Table 'lake.snap.nope' not found");
    await c.ok('CREATE TABLE lake.snap.base AS SELECT 1 AS id');
    await c.ok('CREATE VIEW analytics.v_base AS SELECT * FROM lake.snap.base');
    const spaceView = await c.run(`SELECT * FROM TABLE(table_snapshot('analytics.v_base'))`);
    expect(spaceView.status.errorMessage).toBe("VALIDATION ERROR: Table 'analytics.v_base' not found");
    await c.ok('CREATE FOLDER nessie.f');
    await c.ok('CREATE VIEW nessie.f.v AS SELECT * FROM lake.snap.base');
    const catalogView = await c.run(`SELECT * FROM TABLE(table_snapshot('nessie.f.v'))`);
    expect(catalogView.status.errorMessage).toBe("VALIDATION ERROR: Metadata function ('table_snapshot') is not supported on versioned table 'nessie.f.v'");
  });
});
