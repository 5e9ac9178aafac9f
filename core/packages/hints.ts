// What to tell a user whose template calls `<name>.<macro>(...)` and `<name>` holds no such macro.
import type { LoadedProject } from '../project/load-project.js';
import { declaredNotInstalled } from './installed.js';

export function packageHint(loaded: LoadedProject, ns: string): string | undefined {
  const installed = new Set(loaded.packages.map((p) => p.name));
  const file = declaredNotInstalled(loaded.projectDir, ns, installed);
  if (file) return `${file} lists \`${ns}\`: run \`cairn deps\` to install it`;
  return undefined;
}
