// Doc blocks: `{% docs name %}...{% enddocs %}` in .md files, and `{{ doc('name') }}` in YAML
// descriptions. Resolved during parse so every artifact (manifest, site) carries the final text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceFile } from '../project/discover.js';
import type { ProjectNode } from '../project/types.js';
import { CairnError } from '../errors.js';
import { didYouMean } from '../util/did-you-mean.js';

export interface DocBlock {
  uniqueId: string;
  name: string;
  packageName: string;
  path: string;
  originalFilePath: string;
  blockContents: string;
}

const BLOCK = /\{%-?\s*docs\s+([A-Za-z_][\w]*)\s*-?%\}([\s\S]*?)\{%-?\s*enddocs\s*-?%\}/g;
// doc('name') or doc('package', 'name'), with either quote style.
const DOC_CALL = /\{\{-?\s*doc\(\s*(?:['"]([\w]+)['"]\s*,\s*)?['"]([^'"]+)['"]\s*\)\s*-?\}\}/g;

export function parseDocBlocks(files: readonly SourceFile[], packageName: string): Map<string, DocBlock> {
  const out = new Map<string, DocBlock>();
  for (const f of files) {
    if (!f.content.includes('docs')) continue;
    for (const m of f.content.matchAll(BLOCK)) {
      const name = m[1]!;
      const prev = out.get(name);
      if (prev) {
        throw new CairnError('DUPLICATE_NODE', `two doc blocks are named \`${name}\`: ${prev.originalFilePath} and ${f.path}`, {
          file: f.path,
          line: f.content.slice(0, m.index).split('\n').length,
          hint: 'doc block names must be unique across the project',
        });
      }
      out.set(name, {
        uniqueId: `doc.${packageName}.${name}`,
        name,
        packageName,
        path: f.relPath,
        originalFilePath: f.path,
        // dbt strips the newline right after the opening tag and before the closing one.
        blockContents: m[2]!.replace(/^\s*\n/, '').replace(/\n\s*$/, '').trim(),
      });
    }
  }
  return out;
}

/** The map key of a project's own block, for `doc('package', 'name')` (beside the bare name). */
export const qualifiedDocKey = (pkg: string, name: string): string => `${pkg}\u0000${name}`;

/** Replaces `{{ doc('x') }}` in one description; `where` names the file that holds it. */
export function resolveDocCalls(text: string, docs: ReadonlyMap<string, DocBlock>, where: { file: string; projectDir: string; node: string }): string {
  if (!text || !text.includes('doc(')) return text;
  return text.replace(DOC_CALL, (_all, pkg: string | undefined, name: string) => {
    const block = pkg ? docs.get(qualifiedDocKey(pkg, name)) ?? (docs.get(name)?.packageName === pkg ? docs.get(name) : undefined) : docs.get(name);
    if (block) return block.blockContents;
    const call = pkg ? `doc('${pkg}', '${name}')` : `doc('${name}')`;
    throw new CairnError('CONFIG_INVALID', `\`${call}\` refers to a doc block that does not exist`, {
      file: where.file,
      line: lineOfDocCall(where.projectDir, where.file, name),
      node: where.node,
      hint: didYouMean(name, [...docs.keys()].filter((k) => !k.includes('\u0000'))) ?? 'define it in a .md file under your model paths: {% docs ' + name + ' %}...{% enddocs %}',
    });
  });
}

function lineOfDocCall(projectDir: string, file: string, name: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(join(projectDir, file), 'utf8');
  } catch {
    return undefined;
  }
  const re = new RegExp(`doc\\(\\s*(?:['"]\\w+['"]\\s*,\\s*)?['"]${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`);
  const idx = text.search(re);
  return idx < 0 ? undefined : text.slice(0, idx).split('\n').length;
}

/** Resolves doc() in a node's description and its columns' descriptions, in place; true when any was. */
export function applyDocBlocks(node: ProjectNode, docs: ReadonlyMap<string, DocBlock>, projectDir: string): boolean {
  const where = { file: node.patchPath ?? node.originalFilePath, projectDir, node: node.name };
  let changed = false;
  const resolve = (text: string) => {
    const out = resolveDocCalls(text, docs, where);
    if (out !== text) changed = true;
    return out;
  };
  node.description = resolve(node.description);
  for (const col of Object.values(node.columns)) col.description = resolve(col.description);
  if (typeof node.extra?.sourceDescription === 'string' && node.extra.sourceDescription) node.extra.sourceDescription = resolve(node.extra.sourceDescription);
  return changed;
}

export function docsManifestEntries(docs: ReadonlyMap<string, DocBlock>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const d of docs.values()) {
    out[d.uniqueId] = {
      name: d.name,
      resource_type: 'doc',
      package_name: d.packageName,
      path: d.path,
      original_file_path: d.originalFilePath,
      unique_id: d.uniqueId,
      block_contents: d.blockContents,
    };
  }
  return out;
}
