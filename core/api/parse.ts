// `cairn parse`: read and check the whole project and write target/manifest.json without rendering
// SQL or touching the engine (dbt's `parse`, for tools that read the manifest).
import { join } from 'node:path';
import { writeManifest } from '../artifacts/manifest.js';
import { targetDir } from '../artifacts/paths.js';
import type { CommonOptions } from './options.js';
import { loadAndParse } from './project.js';

export interface ParseResult {
  counts: Record<string, number>;
  manifestPath: string;
  elapsed: number;
}

export function parse(o: CommonOptions): ParseResult {
  const t0 = performance.now();
  const p = loadAndParse(o);
  const counts: Record<string, number> = {};
  for (const n of p.nodes.values()) counts[n.resourceType] = (counts[n.resourceType] ?? 0) + 1;
  const manifestPath = join(targetDir(p.ctx.projectDir, p.ctx.project.targetPath), 'manifest.json');
  writeManifest(manifestPath, p, { compiled: new Map() });
  p.writeSnapshot?.();
  return { counts, manifestPath, elapsed: (performance.now() - t0) / 1000 };
}
