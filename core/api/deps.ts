// `cairn deps`: install the packages of packages.yml / dependencies.yml (core/packages/install.ts).
import { installPackages, type DepsOptions, type DepsResult } from '../packages/install.js';

export async function deps(o: { projectDir: string; vars?: Record<string, unknown> } & DepsOptions): Promise<DepsResult> {
  return installPackages(o.projectDir, o.vars ?? {}, { upgrade: o.upgrade, lockOnly: o.lockOnly });
}

export type { DepsResult };
