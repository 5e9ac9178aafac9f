// Doc blocks with installed packages: each project's blocks are checked for duplicates on their
// own (two packages may both define `{% docs id %}`), and a bare `doc('x')` finds the root
// project's block first, then a package's; `doc('pkg', 'x')` finds that project's (qualifiedDocKey).
import { parseDocBlocks, qualifiedDocKey, type DocBlock } from '../docs/doc-blocks.js';
import type { LoadedProject } from '../project/load-project.js';

export function projectDocBlocks(loaded: LoadedProject, rootName: string): Map<string, DocBlock> {
  if (!loaded.packages.length) return parseDocBlocks(loaded.docFiles, rootName);
  const inPackage = (path: string) => loaded.packages.find((p) => path.startsWith(`${p.dir}/`));
  const out = parseDocBlocks(loaded.docFiles.filter((f) => !inPackage(f.path)), rootName);
  for (const block of [...out.values()]) out.set(qualifiedDocKey(rootName, block.name), block);
  for (const pkg of loaded.packages) {
    const blocks = parseDocBlocks(loaded.docFiles.filter((f) => f.path.startsWith(`${pkg.dir}/`)), pkg.name);
    for (const [name, block] of blocks) {
      if (!out.has(name)) out.set(name, block);
      out.set(qualifiedDocKey(pkg.name, name), block);
    }
  }
  return out;
}
