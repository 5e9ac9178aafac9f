// dbt's `generate_schema_name`: `<target schema>_<custom>` by default, or the project's own macro.
import { CairnError } from '../errors.js';
import type { ProjectNode } from '../project/types.js';
import type { CompileContext } from './context.js';

export function generateSchemaName(ctx: CompileContext, custom: string | undefined, node: ProjectNode): string {
  if (ctx.tenv.hasMacro('generate_schema_name')) {
    const fn = (ctx.tenv.env as unknown as { globals: Record<string, unknown> }).globals.generate_schema_name as (...a: unknown[]) => unknown;
    const scope = { target: { name: ctx.target.name, schema: ctx.target.schema, database: ctx.target.database, type: ctx.target.type }, var: () => undefined };
    try {
      const out = ctx.tenv.withScope(scope, () => String(fn(custom ?? null, { name: node.name, resource_type: node.resourceType, fqn: node.fqn, config: node.config, original_file_path: node.originalFilePath })));
      return out.trim();
    } catch (e) {
      throw new CairnError('JINJA_RENDER', `macro generate_schema_name failed for ${node.name}: ${(e as Error).message.split('\n').pop()}`, { node: node.name });
    }
  }
  const c = custom?.trim();
  return c ? `${ctx.target.schema}_${c}` : ctx.target.schema;
}

export function generateDatabaseName(ctx: CompileContext, custom: string | undefined): string | undefined {
  return custom?.trim() || ctx.target.database;
}
