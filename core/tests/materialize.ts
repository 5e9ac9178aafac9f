// The `test` materialization, as dbt's: count the failing rows (fail_calc), compare with warn_if /
// error_if, and return PASS, WARN or FAIL. With store_failures the failing rows are kept in a table
// of the `<schema>_dbt_test__audit` schema and counted from there.
import { CairnError } from '../errors.js';
import type { Materialization } from '../execute/node-context.js';

const truthy = (v: unknown) => v === true || v === 1 || v === 'true' || v === 1n;

export const testMaterialization: Materialization = async (nc) => {
  const { node, adapter } = nc;
  const d = adapter.dialect;
  if (!d.testQuery) throw new CairnError('CONFIG_INVALID', `data tests are not supported on ${d.name} yet`, { node: node.name, exitCode: 1 });
  const cfg = node.config;
  const sql = (await nc.compile(false));
  let source = sql;
  if (truthy(cfg.store_failures) && d.storeFailures) {
    const rel = node.relation!;
    await adapter.ensureSchema(rel);
    await nc.exec(d.storeFailures({ target: rel, existing: await adapter.getRelationKind(rel), sql }));
    source = `select * from ${d.renderRelation(rel)}`;
  }
  const warnIf = String(cfg.warn_if ?? '!= 0');
  const errorIf = String(cfg.error_if ?? '!= 0');
  const limit = cfg.limit !== undefined && cfg.limit !== null ? Number(cfg.limit) : undefined;
  const q = d.testQuery({ sql: source, failCalc: String(cfg.fail_calc ?? 'count(*)'), warnIf, errorIf, limit });
  nc.executed.push(q);
  const r = await adapter.execute(q, { fetch: true, nodeId: node.uniqueId, signal: nc.signal });
  const row = r.rows?.[0] ?? {};
  const failures = Number(row.failures ?? 0);
  const severity = String(cfg.severity ?? 'ERROR').toUpperCase();
  if (severity === 'ERROR' && truthy(row.should_error)) {
    return { status: 'fail', failures, message: `Got ${failures} result${failures === 1 ? '' : 's'}, configured to fail if ${errorIf}` };
  }
  if (truthy(row.should_warn)) {
    return { status: 'warn', failures, blocksChildren: false, message: `Got ${failures} result${failures === 1 ? '' : 's'}, configured to warn if ${warnIf}` };
  }
  return { status: 'pass', failures };
};
