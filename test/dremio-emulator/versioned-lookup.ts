// `GET /catalog/by-path/...?versionType=BRANCH&versionValue=b` (CatalogServiceHelper.getCatalogEntityByPath):
// below the root of a versioned source (NESSIE / ARCTIC) the entity is read at that version; without
// the parameters, at the source's default branch. Other sources ignore them (namespace lookup).
import type { Catalog } from './catalog.js';
import { branchRoot, DEFAULT_BRANCH } from './branches.js';
import { HttpError } from './http-util.js';
import { isVersionedType } from './source-types.js';

/** The stored path to read (`cat@b/...` for branch b); the input array itself when no version applies. */
export function versionedLookupPath(catalog: Catalog, path: string[], type: string | null, value: string | null): string[] {
  const root = catalog.root(path);
  if (path.length < 2 || root?.kind !== 'source' || !isVersionedType(root.sourceType) || root.path[0]!.includes('@')) return path;
  if (!type && !value) return path;
  // TableVersionContext.tryParse needs both; a lone or unknown one is a ClientErrorException (400).
  if (!type || !value || !/^(BRANCH|TAG|COMMIT)$/i.test(type)) throw new HttpError(400, 'Missing a valid versionType/versionValue pair for versioned entity.');
  if (!/^BRANCH$/i.test(type)) throw new HttpError(400, `versionType ${type.toUpperCase()} is not emulated (branches only)`);
  if (value.toLowerCase() === DEFAULT_BRANCH) return path;
  const b = branchRoot(root.path[0]!, value);
  // CatalogServiceHelper.getVersionedEntityType: ReferenceNotFoundException -> "<TYPE> <value> doesn't exist."
  if (!catalog.container([b])) throw new HttpError(400, `BRANCH ${value} doesn't exist.`);
  return [b, ...path.slice(1)];
}

/** The entity JSON as the client named it: the branch namespace `cat@b` shows as `cat` again. */
export function asSeenFromBranch(body: Record<string, unknown>, source: string): Record<string, unknown> {
  const fix = (p: unknown): unknown => (Array.isArray(p) && p.length > 0 ? [source, ...p.slice(1)] : p);
  const out: Record<string, unknown> = { ...body, path: fix(body['path']) };
  if (Array.isArray(body['children'])) out['children'] = body['children'].map((c: Record<string, unknown>) => ({ ...c, path: fix(c['path']) }));
  return out;
}
