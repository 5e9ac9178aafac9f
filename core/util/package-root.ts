// Files cairn ships beside its code (templates/, the artifact write worker, its node_modules) are
// found from the package root, not from the calling module: the same module runs from tsc output
// (dist/core/...), from the one-file CLI bundle (dist/cairn.mjs) and from sources under vitest
// (core/...), each at a different depth below the root.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The folder holding cairn's own package.json, found by walking up from this module. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (isCairnPackage(join(dir, 'package.json'))) return (root = dir);
    if (dirname(dir) === dir) throw new Error(`cairn's package.json not found above ${start}`);
  }
}

/** A path inside the cairn package, e.g. packagePath('templates', 'docs'). */
export const packagePath = (...parts: string[]): string => join(packageRoot(), ...parts);

function isCairnPackage(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === 'cairn';
  } catch {
    return false; // an unreadable package.json further down is not ours; keep walking
  }
}
