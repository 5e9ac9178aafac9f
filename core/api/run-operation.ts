// `cairn run-operation MACRO --args '{...}'`: call a project macro with keyword arguments and run
// the SQL it produces: its `run_query` calls while it renders, then its output.
import type { ParsedProject } from '../compile/parse-project.js';
import { CairnError } from '../errors.js';
import { logAsEvent } from '../compile/introspect.js';
import { operationNode, renderOperation } from '../hooks/operation-scope.js';
import { toJinjaLiteral } from '../tests/test-spec.js';
import { didYouMean } from '../util/did-you-mean.js';
import type { CommonOptions } from './options.js';
import { loadAndParse } from './project.js';

export interface RunOperationOptions extends CommonOptions {
  macro: string;
  args?: Record<string, unknown>;
}

export async function runOperation(o: RunOperationOptions): Promise<{ project: ParsedProject; statements: string[] }> {
  const p = loadAndParse(o);
  const name = o.macro.includes('.') ? o.macro.split('.').pop()! : o.macro;
  if (!/^\w+$/.test(name) || !p.ctx.tenv.hasMacro(name)) {
    throw new CairnError('USAGE', `no macro named \`${o.macro}\` in this project`, {
      hint: didYouMean(name, p.ctx.tenv.macroNames()) ?? 'macros are defined with {% macro name(...) %} in macros/',
    });
  }
  const kwargs = Object.entries(o.args ?? {}).map(([k, v]) => {
    if (!/^\w+$/.test(k)) throw new CairnError('USAGE', `--args key \`${k}\` is not a valid argument name`);
    return `${k}=${toJinjaLiteral(v)}`;
  });
  const node = operationNode(p, name, p.macros.get(name)?.file ?? 'macros');
  const adapter = o.adapters.connect(p.ctx.target, { projectDir: p.ctx.projectDir });
  await adapter.open();
  let statements: string[] = [];
  try {
    const ran: string[] = [];
    const output = await renderOperation(p, node, `{{ ${name}(${kwargs.join(', ')}) }}`, { adapter: async () => adapter, onLog: logAsEvent(o.onEvent), onQuery: (q) => ran.push(q) });
    statements = [...ran, ...output];
    for (const s of output) {
      try {
        await adapter.execute(s, { nodeId: node.uniqueId });
      } catch (e) {
        throw new CairnError('SQL_ERROR', `run-operation ${name}: ${String((e as Error).message).split('\n')[0]}`, { node: name, exitCode: 1 });
      }
    }
  } finally {
    await adapter.close();
  }
  return { project: p, statements };
}
