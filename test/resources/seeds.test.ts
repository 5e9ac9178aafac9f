import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inferKinds, parseCsv } from '../../core/seeds/csv.js';
import { cli, makeProject, PROFILE, PROJECT } from '../helpers/project.js';
import { queryDuckdb } from '../helpers/duckdb.js';

describe('seed CSV reading', () => {
  it('handles quotes, embedded newlines and delimiters, empty → null, BOM and CRLF', () => {
    const text = '\ufeffid,name,note\r\n1,"Smith, J.","two\r\nlines"\r\n2,,"say ""hi"""\r\n3,x,\r\n';
    const c = parseCsv(text, 'seeds/x.csv');
    expect(c.hasBom).toBe(true);
    expect(c.header).toEqual(['id', 'name', 'note']);
    expect(c.rows).toEqual([['1', 'Smith, J.', 'two\r\nlines'], ['2', null, 'say "hi"'], ['3', 'x', null]]);
  });

  it('a ragged row is an error with the file and the line it starts on', () => {
    expect(() => parseCsv('a,b\n1,"x\ny"\n3\n', 'seeds/r.csv')).toThrow(/row has 1 field but the header has 2/);
    try {
      parseCsv('a,b\n1,"x\ny"\n3\n', 'seeds/r.csv');
    } catch (e) {
      expect((e as { location: { file: string; line: number } }).location).toMatchObject({ file: 'seeds/r.csv', line: 4 });
    }
  });

  it('infers integers, bigints, decimals, booleans, dates, timestamps and text', () => {
    const c = parseCsv('a,b,c,d,e,f,g\n1,10000000000,1.5,true,2024-01-01,2024-01-01 10:00:00,x\n2,3,2,false,2024-02-29,2024-01-01T10:00:00Z,1\n', 'f');
    expect(inferKinds(c.header, c.rows)).toEqual(['integer', 'bigint', 'decimal', 'boolean', 'date', 'timestamp', 'text']);
  });
});

describe('cairn seed on DuckDB', () => {
  it('loads every CSV edge case, honours column_types, delimiter, schema, enabled and --full-refresh', async () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('s', `seeds:
  s:
    lookups:
      +schema: ref
    disabled_one:
      +enabled: false
`),
      'profiles.yml': PROFILE('s'),
      'seeds/people.csv': '\ufeffid,name,joined,score,active\r\n1,"Smith, J.",2024-01-01,1.5,true\r\n2,"multi\nline",,2,false\r\n3,"quote ""q""",2024-01-03,,\r\n',
      'seeds/lookups/codes.csv': 'code;label\n007;bond\n010;ten\n',
      'seeds/disabled_one.csv': 'a\n1\n',
      'seeds/schema.yml': `version: 2
seeds:
  - name: codes
    config:
      delimiter: ";"
      column_types:
        code: varchar
`,
    });
    const r = cli(['seed'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/PASS=2 WARN=0 ERROR=0 SKIP=0 TOTAL=2/);
    const db = join(dir, 'test.duckdb');
    const people = await queryDuckdb(db, "select id, name, strftime(joined, '%Y-%m-%d') as joined, score, active from main.people order by id");
    expect(people).toEqual([
      { id: 1, name: 'Smith, J.', joined: '2024-01-01', score: 1.5, active: true },
      { id: 2, name: 'multi\nline', joined: null, score: 2, active: false },
      { id: 3, name: 'quote "q"', joined: '2024-01-03', score: null, active: null },
    ]);
    expect(await queryDuckdb(db, 'select code, label from main_ref.codes order by 1')).toEqual([{ code: '007', label: 'bond' }, { code: '010', label: 'ten' }]);
    expect(await queryDuckdb(db, "select count(*) as n from information_schema.tables where table_name = 'disabled_one'")).toEqual([{ n: 0 }]);
    // A changed column set needs --full-refresh (the table is refilled, not recreated, otherwise).
    writeFileSync(join(dir, 'seeds/people.csv'), 'id,nickname\n1,jo\n');
    expect(cli(['seed', '--select', 'people'], { cwd: dir }).code).toBe(1);
    expect(cli(['seed', '--select', 'people', '--full-refresh'], { cwd: dir }).code).toBe(0);
    expect(await queryDuckdb(db, 'select * from main.people')).toEqual([{ id: 1, nickname: 'jo' }]);
  });

  it('a ragged CSV stops the run before anything runs, naming file and line (exit 2)', () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('s'),
      'profiles.yml': PROFILE('s'),
      'seeds/ok.csv': 'a\n1\n',
      'seeds/bad.csv': 'a,b\n1,2\n3,4,5\n',
    });
    const r = cli(['seed'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/seeds\/bad\.csv:3: seed CSV row has 3 fields but the header has 2/);
    expect(r.stdout).not.toMatch(/START/);
  });
});
