// `cairn compile` output for each materialization, byte for byte, against golden files.
// UPDATE_GOLDENS=1 npx vitest run test/compile-goldens.test.ts rewrites them after a reviewed change.
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, repoRoot, tempDir } from './helpers/project.js';

const goldenDir = join(repoRoot, 'test/goldens/compile/duckdb');

function checkGolden(name: string, actual: string) {
  const path = join(goldenDir, name);
  if (process.env.UPDATE_GOLDENS) writeFileSync(path, actual);
  expect(existsSync(path), `golden ${name} is missing: run with UPDATE_GOLDENS=1 and review it`).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('compiled SQL matches the golden files (duckdb)', () => {
  const dir = tempDir('cairn-goldens-');
  cpSync(join(repoRoot, 'test/fixtures/materializations'), dir, { recursive: true });

  it('first compile: every materialization, incremental branch off', () => {
    const r = cli(['compile'], { cwd: dir });
    expect(r.code).toBe(0);
    // A project never run has no tables: compile answers is_incremental() without opening DuckDB,
    // so it does not create the database file either.
    expect(readdirSync(dir).filter((f) => f.endsWith('.duckdb'))).toEqual([]);
    for (const m of ['base_events', 'events_view', 'events_eph', 'events_with_eph', 'events_incremental']) {
      checkGolden(`${m}.sql`, readFileSync(join(dir, 'target/compiled/mats/models', `${m}.sql`), 'utf8'));
    }
  });

  it('after a run, is_incremental() is true and the statements executed are recorded', () => {
    expect(cli(['run'], { cwd: dir }).code).toBe(0);
    checkGolden('run/base_events.sql', readFileSync(join(dir, 'target/run/mats/models/base_events.sql'), 'utf8'));
    checkGolden('run/events_view.sql', readFileSync(join(dir, 'target/run/mats/models/events_view.sql'), 'utf8'));
    const r = cli(['compile', '--select', 'events_incremental', '--inline'], { cwd: dir });
    expect(r.code).toBe(0);
    checkGolden('events_incremental.incremental.sql', r.stdout);
    expect(cli(['run', '--select', 'events_incremental'], { cwd: dir }).code).toBe(0);
    checkGolden('run/events_incremental.incremental.sql', readFileSync(join(dir, 'target/run/mats/models/events_incremental.sql'), 'utf8'));
  });
});
