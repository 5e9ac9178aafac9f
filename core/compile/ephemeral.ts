// Ephemeral models are never built: their SQL is inlined into each consumer as a CTE named
// `__dbt__cte__<name>`, placed before the consumer's own WITH list when it has one (as dbt does).

const LEADING_WITH = /^((?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*)with(\s+recursive)?\b/i;

export function cteName(model: string): string {
  return `__dbt__cte__${model}`;
}

export function injectCtes(sql: string, ctes: ReadonlyArray<readonly [string, string]>): string {
  if (ctes.length === 0) return sql;
  const defs = ctes.map(([name, body]) => `${name} as (\n${body.trim()}\n)`).join(',\n');
  const m = LEADING_WITH.exec(sql);
  if (m) {
    const head = m[0];
    return `${head} ${defs},\n${sql.slice(head.length).replace(/^\s+/, '')}`;
  }
  return `with ${defs}\n${sql}`;
}
