// Finds a project's files. Paths are returned relative to the project folder with forward slashes.
import fg from 'fast-glob';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SourceFile {
  /** Relative to the project folder, e.g. `models/bronze/orders_raw.sql`. */
  path: string;
  /** Relative to its resource root, e.g. `bronze/orders_raw.sql`. */
  relPath: string;
  root: string;
  content: string;
}

export function findFiles(projectDir: string, roots: readonly string[], patterns: string[]): SourceFile[] {
  const out: SourceFile[] = [];
  for (const root of roots) {
    const rels = fg.sync(patterns, { cwd: join(projectDir, root), onlyFiles: true, dot: false, followSymbolicLinks: true, suppressErrors: true });
    rels.sort();
    for (const rel of rels) {
      const path = `${root.replace(/\/+$/, '')}/${rel}`;
      out.push({ path, relPath: rel, root, content: readFileSync(join(projectDir, path), 'utf8') });
    }
  }
  return out;
}
