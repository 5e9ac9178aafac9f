// Bounds on YAML alias expansion. A few lines of anchors and aliases can stand for billions of nodes
// ("billion laughs"); anything that walks the value (the YAML cache's JSON, config merging) then
// runs out of time and memory. cairn measures what the aliases expand to before building values.
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node as YamlNode } from 'yaml';
import { CairnError } from '../errors.js';

/** `yaml`'s own guard (toJS): uses of an anchor times the aliases inside it. PyYAML has none; real projects stay far below. */
export const MAX_ALIAS_COUNT = 10_000;
/** What the whole document may expand to: nodes plus characters of text, ~ bytes of JSON. */
export const MAX_EXPANDED_SIZE = 64 * 1024 * 1024;

/** Whether the text may define an anchor (`&name` after a space, `[`, `{` or `,`); a false positive only costs speed. */
export function hasAnchor(text: string): boolean {
  return /(?:^|[\s[{,])&[^\s,[\]{}]/m.test(text);
}

/**
 * Throws YAML_ALIAS_LIMIT, at the alias where it happens, when the document's aliases expand past
 * MAX_EXPANDED_SIZE. One pass in document order: each anchor's expanded size is known by the time
 * an alias can refer to it.
 */
export function checkAliasExpansion(doc: Document, file: string, lineCounter: LineCounter): void {
  const anchors = new Map<string, number>();
  let total = 0;
  const size = (node: unknown): number => {
    let n: number;
    if (isAlias(node)) {
      n = anchors.get(node.source) ?? 0;
      total += n;
      if (total > MAX_EXPANDED_SIZE) {
        const line = node.range ? lineCounter.linePos(node.range[0]).line : undefined;
        throw new CairnError('YAML_ALIAS_LIMIT', `YAML aliases expand to more than ${MAX_EXPANDED_SIZE / (1024 * 1024)} MB of data (alias \`*${node.source}\` here); this looks like an alias bomb`, {
          file, line, hint: 'repeat less through anchors and aliases (`&name` / `*name`), or split the file',
        });
      }
      return n;
    }
    if (isScalar(node)) {
      n = 1 + (typeof node.value === 'string' ? node.value.length : 0);
      total += n;
    } else if (isMap(node) || isSeq(node)) {
      n = 1;
      for (const item of node.items as unknown[]) n += isPair(item) ? size(item.key) + size(item.value) : size(item);
    } else return 0;
    const anchor = (node as YamlNode).anchor;
    if (anchor) anchors.set(anchor, n);
    return n;
  };
  size(doc.contents);
}
