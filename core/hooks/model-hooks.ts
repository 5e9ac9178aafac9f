// `pre-hook` / `post-hook` configs (a string or a list, Jinja rendered in the node's own scope, so
// `{{ this }}` is the node's relation): run before and after the node's materialization.
import { compileNodeWithDatabase } from '../compile/compile-node.js';
import type { Materialization, NodeRunContext } from '../execute/node-context.js';
import { compileTemplate } from '../templating/render.js';

export function hookSql(h: unknown): string | undefined {
  if (typeof h === 'string') return h;
  if (h && typeof h === 'object' && typeof (h as { sql?: unknown }).sql === 'string') return (h as { sql: string }).sql;
  return undefined;
}

export async function renderHooks(nc: NodeRunContext, key: 'pre-hook' | 'post-hook'): Promise<string[]> {
  const raw = nc.node.config[key];
  const list = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [raw];
  const out: string[] = [];
  for (const [i, h] of list.entries()) {
    const src = hookSql(h);
    if (!src) continue;
    const template = compileTemplate(nc.p.ctx.tenv, src, `${nc.node.originalFilePath} (${key} ${i + 1})`);
    const sql = (await compileNodeWithDatabase(nc.p, nc.node, { template }, nc.db)).sql.trim();
    if (sql) out.push(sql);
  }
  return out;
}

export function withHooks(m: Materialization): Materialization {
  return async (nc) => {
    const pre = await renderHooks(nc, 'pre-hook');
    if (pre.length) await nc.exec(pre);
    const out = await m(nc);
    const post = await renderHooks(nc, 'post-hook');
    if (post.length) await nc.exec(post);
    return out;
  };
}
