// Which project a file belongs to (the root or an installed package), and the folder-level config
// of its nodes: the package's own dbt_project.yml first, then the root's `models: {pkg: ...}` over it.
import type { CompileContext } from '../compile/context.js';
import { folderConfig, mergeConfig } from '../project/node-config.js';
import type { NodeConfig, ProjectConfig } from '../project/types.js';

export interface Owner {
  name: string;
  config: ProjectConfig;
  root: boolean;
}

const roots = new WeakMap<ProjectConfig, Owner>();

export function ownerOf(ctx: CompileContext, path: string): Owner {
  if (ctx.packages?.length) {
    for (const pkg of ctx.packages) if (path.startsWith(pkg.dir) && path[pkg.dir.length] === '/') return { name: pkg.config.name, config: pkg.config, root: false };
  }
  let o = roots.get(ctx.project);
  if (!o) roots.set(ctx.project, (o = { name: ctx.project.name, config: ctx.project, root: true }));
  return o;
}

/** The project named `name` (the root's name or an installed package's), if any. */
export function projectNamed(ctx: CompileContext, name: string): ProjectConfig | undefined {
  if (name === ctx.project.name) return ctx.project;
  return ctx.packages?.find((p) => p.config.name === name)?.config;
}

export function ownerFolderConfig(ctx: CompileContext, owner: Owner, kind: string, path: readonly string[]): NodeConfig {
  const rootCfg = folderConfig(ctx.project.configTrees[kind], owner.name, path);
  if (owner.root) return rootCfg;
  return mergeConfig(folderConfig(owner.config.configTrees[kind], owner.name, path), rootCfg);
}

/**
 * Where a node's compiled and run files go, as dbt lays them out: `<package>/<path in the package>`
 * (`target/compiled/dbt_utils/models/x.sql`); root nodes keep `<project>/<path>`. `rel` is the
 * node's artifact path (artifacts/paths.ts nodeArtifactPath), relative to the root project.
 */
export function artifactLocation(ctx: CompileContext, packageName: string, rel: string): [string, string] {
  if (!ctx.packages || packageName === ctx.project.name) return [ctx.project.name, rel];
  const pkg = ctx.packages.find((p) => p.config.name === packageName);
  return pkg && rel.startsWith(pkg.dir + '/') ? [packageName, rel.slice(pkg.dir.length + 1)] : [ctx.project.name, rel];
}
