// Files that are not UTF-8 are an error naming the file and the byte, never silently mangled.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/project.js';
import { project } from './helpers.js';

/** `select 'café' as x` in Latin-1: é is the single byte 0xE9, at offset 11. */
const LATIN1_SQL = Buffer.concat([Buffer.from("select 'caf"), Buffer.from([0xe9]), Buffer.from("' as x\n")]);

describe('non-UTF-8 project files', () => {
  it('a model .sql file', () => {
    const dir = project('enc1', { 'models/ok.sql': "select 'café' as x" });
    writeFileSync(join(dir, 'models/bad.sql'), LATIN1_SQL);
    const r = cli(['compile'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error[PROJECT_INVALID] models/bad.sql:1: models/bad.sql is not valid UTF-8: byte 0xe9 at offset 11');
  });

  it('a model read by the read-ahead worker (a project of 600 models)', () => {
    const files = Object.fromEntries(Array.from({ length: 600 }, (_x, i) => [`models/m${String(i).padStart(3, '0')}.sql`, `select ${i} as x`]));
    const dir = project('enc2', files);
    writeFileSync(join(dir, 'models/m300.sql'), LATIN1_SQL);
    const r = cli(['compile'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('models/m300.sql is not valid UTF-8: byte 0xe9 at offset 11');
  });

  it('a schema .yml file', () => {
    const dir = project('enc3', { 'models/m.sql': 'select 1 as x' });
    writeFileSync(join(dir, 'models/schema.yml'), Buffer.concat([Buffer.from('version: 2\nmodels:\n  - name: m\n    description: caf'), Buffer.from([0xe9, 0x0a])]));
    const r = cli(['compile'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error[PROJECT_INVALID] models/schema.yml:4: models/schema.yml is not valid UTF-8: byte 0xe9 at offset 51');
  });

  it('dbt_project.yml', () => {
    const dir = project('enc4', { 'models/m.sql': 'select 1 as x' });
    writeFileSync(join(dir, 'dbt_project.yml'), Buffer.concat([Buffer.from('name: enc4\nprofile: enc4\n# caf'), Buffer.from([0xe9, 0x0a])]));
    const r = cli(['compile'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('dbt_project.yml is not valid UTF-8: byte 0xe9 at offset 30');
  });

  it('UTF-8 text, including a real U+FFFD, is fine', () => {
    const dir = project('enc5', { 'models/m.sql': "select 'café \uFFFD' as x" });
    expect(cli(['compile'], { cwd: dir }).code).toBe(0);
  });
});
