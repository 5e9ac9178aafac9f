// Where artifacts go: `target/compiled/<project>/<path>`, `target/run/<project>/<path>`, manifest,
// run_results. Writes are atomic (tmp + rename) so a reader never sees half a JSON file.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';

export function targetDir(projectDir: string, targetPath: string): string {
  return resolve(projectDir, targetPath);
}

export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

/**
 * Leaves a file alone when it already holds `content`: rewriting an existing file costs ~0.4 ms on
 * ext4 against ~0.02 ms to read and compare, and a warm compile rewrites thousands of unchanged files.
 */
export function writeFileIfChanged(path: string, content: string): void {
  try {
    if (readFileSync(path, 'utf8') === content) return;
  } catch {
    // missing or unreadable: write it
  }
  writeFileAtomic(path, content);
}

export function compiledPath(target: string, project: string, originalFilePath: string): string {
  return underTarget(target, 'compiled', project, originalFilePath);
}

export function runPath(target: string, project: string, originalFilePath: string): string {
  return underTarget(target, 'run', project, originalFilePath);
}

// A compile asks for 14,000 of these at 10,000 models: path.join normalizes every one (~10-20 ms),
// while project-relative paths as discovery makes them are already normal. Anything else is joined.
const PLAIN = /^(?:[^/\\]+\/)*[^/\\]+$/;
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/;
const prefixes = new Map<string, { target: string; project: string; prefix: string }>();

function underTarget(target: string, kind: string, project: string, rel: string): string {
  if (sep !== '/' || !PLAIN.test(rel) || DOT_SEGMENT.test(rel)) return join(target, kind, project, rel);
  let p = prefixes.get(kind);
  if (p?.target !== target || p.project !== project) prefixes.set(kind, (p = { target, project, prefix: join(target, kind, project, '/') }));
  return p.prefix + rel;
}

/**
 * A node's file under target/compiled and target/run: its own path, or for nodes defined in YAML
 * (generic tests) `<yml file>/<test>.sql`, as dbt lays them out.
 */
export function nodeArtifactPath(node: { originalFilePath: string; path: string; name: string; resourceType: string }): string {
  if (/\.ya?ml$/.test(node.originalFilePath)) return `${node.originalFilePath}/${node.path}`;
  return node.originalFilePath;
}
