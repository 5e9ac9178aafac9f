// `copy_into` nodes: load files from a storage location into a table, creating the table from the
// declared `columns` when it is missing. Dremio runs `COPY INTO ... FROM '@source/path/'`; engines
// that plan the load themselves (DuckDB: list local files, skip the ones already loaded) supply
// `copyIntoStatements`.
import type { Column, CopyIntoPlan } from '../../../adapters/adapter.js';
import { CairnError } from '../../errors.js';
import type { Materialization } from '../node-context.js';

const FORMATS = ['csv', 'json', 'parquet'];
const ON_ERROR = ['abort', 'continue', 'skip_file'];

export const copyInto: Materialization = async (nc) => {
  const { node, adapter } = nc;
  const cfg = node.config;
  const rel = node.relation!;
  (await nc.compile(false));
  const bad = (msg: string, hint: string) => new CairnError('CONFIG_INVALID', `copy_into ${node.name}: ${msg}`, { node: node.name, file: node.originalFilePath, hint, exitCode: 1 });
  const location = String(cfg.from ?? cfg.location ?? '');
  if (!location.startsWith('@')) throw bad(`\`from\` must be a storage location like '@source/path/', got \`${location}\``, "config(from='@my_source/orders/{{ ds }}/')");
  const fileFormat = String(cfg.file_format ?? 'csv').toLowerCase();
  if (!FORMATS.includes(fileFormat)) throw bad(`unknown file_format \`${fileFormat}\``, `use one of ${FORMATS.join(', ')}`);
  const onError = String(cfg.on_error ?? 'abort').toLowerCase();
  if (!ON_ERROR.includes(onError)) throw bad(`unknown on_error \`${onError}\``, `use one of ${ON_ERROR.join(', ')}`);
  const rawCols = cfg.columns;
  const columns: Column[] = rawCols && typeof rawCols === 'object' && !Array.isArray(rawCols)
    ? Object.entries(rawCols as Record<string, unknown>).map(([name, type]) => ({ name, type: String(type) }))
    : [];
  await adapter.ensureSchema(rel);
  const exists = (await adapter.getRelationKind(rel)) === 'table';
  if (!exists && columns.length === 0) throw bad('the target table does not exist and no `columns` are declared', "declare them: config(columns={'id': 'INTEGER', 'name': 'VARCHAR'})");
  const plan: CopyIntoPlan = {
    target: rel, exists, columns, location, fileFormat: fileFormat as CopyIntoPlan['fileFormat'], onError: onError as CopyIntoPlan['onError'],
    options: (cfg.format_options as Record<string, unknown> | undefined) ?? {}, truncate: cfg.truncate === true, config: cfg,
  };
  let stmts: string[];
  if (adapter.copyIntoStatements) stmts = await adapter.copyIntoStatements(plan, { node: node.name });
  else if (adapter.dialect.copyInto) stmts = adapter.dialect.copyInto(plan);
  else throw bad(`the ${adapter.type} adapter cannot load files`, 'run this node on a Dremio or DuckDB target');
  if (stmts.length === 0) return { status: 'success', message: 'no new files', rowsAffected: 0 };
  const r = await nc.exec(stmts);
  return { status: 'success', rowsAffected: r.rowsAffected, jobId: r.jobId };
};
