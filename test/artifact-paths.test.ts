// compiledPath/runPath skip path.join for plain project-relative paths: they must still equal it.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compiledPath, runPath } from '../core/artifacts/paths.js';

const rels = [
  'models/a.sql', 'models/staging/stg_orders.sql', 'a.sql', 'models/schema.yml/not_null_a_id.sql', 'models/...x/a.sql',
  'models/./a.sql', 'models/../a.sql', './a.sql', '../a.sql', '..', '.', 'models//a.sql', '/abs/a.sql', 'models/a/', 'models\\a.sql', '',
];

describe('artifact paths', () => {
  it('are what path.join makes, for plain and odd relative paths, targets and project names alike', () => {
    for (const target of ['/p/target', '/p/target/', '/p/./target', 'target', '/']) {
      for (const project of ['pp', '..', 'a/b']) {
        for (const rel of rels) {
          expect(compiledPath(target, project, rel), `${target} ${project} ${rel}`).toBe(join(target, 'compiled', project, rel));
          expect(runPath(target, project, rel), `${target} ${project} ${rel}`).toBe(join(target, 'run', project, rel));
        }
      }
    }
  });
});
