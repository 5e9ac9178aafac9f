// Every statement cairn sends to Dremio has a shape Dremio's grammar accepts (docs/dremio.md, "Statements
// cairn sends, checked against Dremio's grammar"): the golden SQL goes through the emulator's grammar
// rules (test/dremio-emulator/grammar-rules.ts), and layout configs Dremio's grammar cannot take are
// refused before any SQL is built.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ctasClauses, dremioColumnType, dremioDialect } from '../adapters/dremio/dremio-dialect.js';
import { pinViewToBranch } from '../adapters/dremio/dremio-branch.js';
import { checkGrammar } from './dremio-emulator/grammar-rules.js';
import { repoRoot } from './helpers/project.js';

const GOLDENS = join(repoRoot, 'test/goldens/dremio');

describe("cairn's Dremio SQL against Dremio's grammar", () => {
  const statements = readdirSync(GOLDENS).filter((f) => f.endsWith('.sql')).flatMap((f) =>
    readFileSync(join(GOLDENS, f), 'utf8').split(/;\n\n/).map((s, i) => [`${f} #${i + 1}`, s] as const));

  it('the goldens hold every kind of statement cairn sends', () => {
    const heads = new Set(statements.map(([, s]) => s.trim().split(/\s+/).slice(0, 2).join(' ').toUpperCase()));
    for (const h of ['CREATE TABLE', 'CREATE OR', 'INSERT INTO', 'MERGE INTO', 'MERGE BRANCH', 'DELETE FROM', 'TRUNCATE TABLE', 'DROP TABLE', 'DROP VIEW', 'DROP BRANCH', 'ALTER TABLE', 'CREATE BRANCH', 'COPY INTO', 'SELECT *']) {
      expect(heads).toContain(h);
    }
  });

  it.each(statements)('%s passes the emulator grammar rules', (_name, sql) => {
    expect(() => checkGrammar(sql)).not.toThrow();
  });

  it('refuses a transform in localsort_by or distribute_by (Dremio takes column names there), before any SQL', () => {
    expect(() => ctasClauses({ localsort_by: ['month(ts)'] })).toThrow(/localsort_by takes column names; `month\(ts\)` is a partition transform/);
    expect(() => ctasClauses({ distribute_by: 'bucket(4, id)' })).toThrow(/distribute_by takes column names/);
    expect(ctasClauses({ partition_by: ['month(ts)'], localsort_by: 'ts' })).toEqual(['PARTITION BY (month("ts"))', 'LOCALSORT BY ("ts")']);
  });

  it('refuses a partition_method Dremio has no keyword for; takes the three it has', () => {
    expect(() => ctasClauses({ partition_by: 'id', partition_method: 'round_robin' })).toThrow(/unknown partition_method `round_robin`/);
    for (const m of ['striped', 'hash', 'roundrobin']) {
      const [clause] = ctasClauses({ partition_by: 'id', partition_method: m });
      expect(clause).toBe(`${m.toUpperCase()} PARTITION BY ("id")`);
      expect(() => checkGrammar(`CREATE TABLE "lake"."t" ${clause} AS SELECT 1 AS "id"`)).not.toThrow();
    }
  });

  it('pins only relations of a view to the branch: FROM / JOIN / a FROM list, never a qualified column', () => {
    const view = `CREATE OR REPLACE VIEW "nessie"."f"."v" AS
select "nessie"."f"."orders".id, (select max(y) from "nessie"."f"."o4") as m
from "nessie"."f"."orders" join "nessie"."f"."o2" as o2 on o2.id = coalesce(1, 2), "nessie"."f"."o3"
where "nessie"."f"."orders"."id" > 0 and exists (select 1 from "nessie"."f"."o5" AT BRANCH "main")`;
    const pinned = pinViewToBranch(view, 'nessie', 'b');
    expect(pinned).toBe(`CREATE OR REPLACE VIEW "nessie"."f"."v" AS
select "nessie"."f"."orders".id, (select max(y) from "nessie"."f"."o4" AT BRANCH "b") as m
from "nessie"."f"."orders" AT BRANCH "b" join "nessie"."f"."o2" AT BRANCH "b" as o2 on o2.id = coalesce(1, 2), "nessie"."f"."o3" AT BRANCH "b"
where "nessie"."f"."orders"."id" > 0 and exists (select 1 from "nessie"."f"."o5" AT BRANCH "main")`);
    expect(() => checkGrammar(pinned)).not.toThrow();
  });

  it('sends text / string column types (seeds column_types, copy_into columns) as VARCHAR, which Dremio takes', () => {
    expect(['text', 'STRING', 'string(20)', 'varchar(20)', 'DECIMAL(10,2)', 'int'].map(dremioColumnType))
      .toEqual(['VARCHAR', 'VARCHAR', 'VARCHAR(20)', 'varchar(20)', 'DECIMAL(10,2)', 'int']);
    const target = { database: 'lake', schema: 'raw', identifier: 'people' } as never;
    const [create] = dremioDialect.seed({ target, columns: [{ name: 'id', kind: 'integer' }, { name: 'name', kind: 'text', explicitType: 'text' }], rows: [], existing: null, fullRefresh: false } as never);
    expect(create).toBe('CREATE TABLE "lake"."raw"."people" ("id" INTEGER, "name" VARCHAR)');
    expect(() => checkGrammar(create!)).not.toThrow();
    const [copy] = dremioDialect.copyInto!({ target, exists: false, columns: [{ name: 'id', type: 'INTEGER' }, { name: 'note', type: 'string' }], location: '@lake/x/', fileFormat: 'csv', onError: 'abort', options: {} } as never);
    expect(copy).toBe('CREATE TABLE "lake"."raw"."people" ("id" INTEGER, "note" VARCHAR)');
  });

  it('takes only the COPY INTO options Dremio has; NULL_IF always goes out as a list', () => {
    const plan = { target: { database: 'lake', schema: 'raw', identifier: 'people' }, exists: true, columns: [], location: '@lake/x/', fileFormat: 'csv', onError: 'abort' } as never;
    const copy = (options: Record<string, unknown>) => dremioDialect.copyInto!({ ...(plan as object), options } as never);
    expect(copy({ null_if: 'NA', skip_lines: 1, trim_space: 'true' })).toEqual([`COPY INTO "lake"."raw"."people"\nFROM '@lake/x/'\nFILE_FORMAT 'csv'\n(ON_ERROR 'abort', NULL_IF ('NA'), SKIP_LINES 1, TRIM_SPACE 'true')`]);
    expect(() => checkGrammar(copy({ null_if: 'NA' })[0]!)).not.toThrow();
    expect(() => copy({ header: 'true' })).toThrow(/`header` is not a COPY INTO option Dremio takes/);
    try { copy({ field_delimeter: ';' }); } catch (e) { expect((e as { hint?: string }).hint).toMatch(/did you mean `FIELD_DELIMITER`/); }
    expect(() => copy({ field_delimeter: ';' })).toThrow();
    expect(() => copy({ on_error: 'continue' })).toThrow(/is not a COPY INTO option/);
    expect(() => copy({ date_format: ['YYYY', 'MM'] })).toThrow(/takes one value, not a list/);
  });
});
