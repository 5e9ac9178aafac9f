// `cairn export airflow`: the generated file parses as Python (ast), its task graph equals cairn's
// DAG, and the same project gives the same bytes.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, copySample, makeProject, PROFILE, PROJECT } from './helpers/project.js';

// Reads the DAG file with Python's own parser: BashOperator assignments → tasks, `a >> b` → edges.
const EXTRACT = `
import ast, json, sys
tree = ast.parse(open(sys.argv[1]).read())
dags, tasks, edges, var_to_id = [], {}, [], {}
for w in [n for n in tree.body if isinstance(n, ast.With)]:
    call = w.items[0].context_expr
    kw = {k.arg: k.value for k in call.keywords}
    dags.append({"dag_id": kw["dag_id"].value, "schedule": getattr(kw["schedule"], "value", None)})
    for st in w.body:
        if isinstance(st, ast.Assign) and isinstance(st.value, ast.Call) and getattr(st.value.func, "id", "") == "BashOperator":
            k = {x.arg: x.value for x in st.value.keywords}
            tid = k["task_id"].value
            var_to_id[st.targets[0].id] = tid
            tasks[tid] = {"command": k["bash_command"].right.value, "retries": getattr(k.get("retries"), "value", None),
                          "retry_delay": ast.unparse(k["retry_delay"]) if "retry_delay" in k else None}
        elif isinstance(st, ast.Expr) and isinstance(st.value, ast.BinOp) and isinstance(st.value.op, ast.RShift):
            edges.append([var_to_id[st.value.left.id], var_to_id[st.value.right.id]])
print(json.dumps({"dags": dags, "tasks": tasks, "edges": sorted(edges)}))
`;

interface Parsed {
  dags: Array<{ dag_id: string; schedule: string | null }>;
  tasks: Record<string, { command: string; retries: number | null; retry_delay: string | null }>;
  edges: Array<[string, string]>;
}

function parseDag(file: string): Parsed {
  const r = spawnSync('python3', ['-c', EXTRACT, file], { encoding: 'utf8', timeout: 30_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Parsed;
}

/** cairn's own DAG from `ls --output json`: buildable nodes and their parent edges. */
function cairnDag(dir: string): { tasks: string[]; edges: Array<[string, string]> } {
  const r = cli(['ls', '--output', 'json'], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  const nodes = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { name: string; unique_id: string; resource_type: string; config: { materialized?: string }; depends_on: { nodes: string[] } });
  const built = nodes.filter((n) => ['model', 'seed', 'snapshot', 'task'].includes(n.resource_type) && n.config.materialized !== 'ephemeral');
  const byId = new Map(built.map((n) => [n.unique_id, n.name]));
  const edges = built.flatMap((n) => n.depends_on.nodes.filter((d) => byId.has(d)).map((d) => [byId.get(d)!, n.name] as [string, string]));
  return { tasks: built.map((n) => n.name).sort(), edges: edges.sort() };
}

describe('cairn export airflow', { timeout: 180_000 }, () => {
  it('the sample project: parses with python ast, mirrors the DAG, same bytes twice', () => {
    const dir = copySample();
    const first = cli(['export', 'airflow', '--out', 'dags'], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    const file = join(dir, 'dags/cairn_orders_pipeline.py');
    const bytes1 = readFileSync(file);
    expect(cli(['export', 'airflow', '--out', 'dags'], { cwd: dir }).code).toBe(0);
    expect(readFileSync(file).equals(bytes1)).toBe(true);

    const dag = parseDag(file);
    const want = cairnDag(dir);
    expect(dag.dags).toEqual([{ dag_id: 'cairn_orders_pipeline', schedule: null }]);
    expect(Object.keys(dag.tasks).sort()).toEqual(want.tasks);
    expect(dag.edges).toEqual(want.edges);
    expect(want.edges.length).toBeGreaterThan(0);
    expect(dag.tasks.orders_incremental!.command).toBe(' build --select orders_incremental --ds {{ ds }}');
  });

  it('schedules, retries, tasks that look through ephemeral models, and --airflow-tests separate', () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('flow', `schedules:
  - {name: nightly, cron: '0 3 * * *', timezone: Europe/Paris, select: ['+c']}
models:
  flow:
    +retries: 2
    +retry_delay: 30
`),
      'profiles.yml': PROFILE('flow'),
      'models/a.sql': 'select 1 as x',
      'models/e.sql': "{{ config(materialized='ephemeral') }} select x from {{ ref('a') }}",
      'models/c.sql': "select x from {{ ref('e') }}",
      'models/d.sql': "select x from {{ ref('a') }}",
      'models/tests.yml': `unit_tests:
  - name: c_passes_x
    model: c
    given:
      - input: ref('e')
        rows: [{x: 1}]
    expect:
      rows: [{x: 1}]
`,
    });
    const r = cli(['export', 'airflow', '--out', 'out/dags', '--airflow-tests', 'separate'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const dag = parseDag(join(dir, 'out/dags/cairn_flow.py'));
    expect(dag.dags).toEqual([{ dag_id: 'cairn_flow__nightly', schedule: '0 3 * * *' }]);
    // d is not in the schedule's selection; e is ephemeral, so c hangs directly off a.
    expect(Object.keys(dag.tasks).sort()).toEqual(['a', 'c', 'c__test']);
    expect(dag.edges).toEqual([['a', 'c'], ['c', 'c__test']]);
    expect(dag.tasks.c!).toEqual({ command: ' run --select c --ds {{ ds }}', retries: 2, retry_delay: 'timedelta(seconds=30)' });
    expect(dag.tasks.c__test!.command).toBe(' test --select c+1,resource_type:unit_test --ds {{ ds }}');
    expect(readFileSync(join(dir, 'out/dags/cairn_flow.py'), 'utf8')).toContain('tz="Europe/Paris"');
    // The test task's selector really selects the unit test.
    const ls = cli(['ls', '--select', 'c+1,resource_type:unit_test', '--output', 'name'], { cwd: dir });
    expect(ls.stdout.trim()).toBe('c_passes_x');
  });

  it('an unknown format or --airflow-tests mode is a usage error', () => {
    const dir = copySample();
    const r = cli(['export', 'prefect'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown export format `prefect`/);
    const m = cli(['export', 'airflow', '--airflow-tests', 'both'], { cwd: dir });
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/--airflow-tests must be `build` or `separate`/);
  });

  it('a test on several models runs after all of them; running the tasks in DAG order on a fresh target passes', () => {
    const files = (schedule: string) => ({
      'dbt_project.yml': PROJECT('rel', schedule),
      'profiles.yml': PROFILE('rel'),
      'models/stg_customers.sql': 'select 1 as customer_id union all select 2',
      'models/stg_orders.sql': 'select 10 as order_id, 1 as customer_id',
      'models/orders.sql': "select * from {{ ref('stg_orders') }}",
      'models/schema.yml': `version: 2
models:
  - name: stg_orders
    columns:
      - name: customer_id
        data_tests:
          - not_null
          - relationships: {to: ref('stg_customers'), field: customer_id}
`,
    });
    const dir = makeProject(files(''));
    expect(cli(['export', 'airflow', '--out', 'dags'], { cwd: dir }).code).toBe(0);
    const dag = parseDag(join(dir, 'dags/cairn_rel.py'));
    const rel = Object.keys(dag.tasks).find((t) => t.startsWith('relationships_'))!;
    expect(rel).toBeDefined();
    expect(dag.edges.filter(([, to]) => to === rel).map(([from]) => from).sort()).toEqual(['stg_customers', 'stg_orders']);
    expect(dag.tasks.stg_orders!.command).toContain(`--exclude ${rel}`);
    // Run every task's command in an order that honours the edges, on a target nothing was built in.
    const done = new Set<string>();
    const pending = new Set(Object.keys(dag.tasks));
    while (pending.size) {
      const next = [...pending].sort().find((t) => dag.edges.every(([from, to]) => to !== t || done.has(from)))!;
      expect(next).toBeDefined();
      const r = cli(dag.tasks[next]!.command.trim().replace('{{ ds }}', '2024-01-02').split(' '), { cwd: dir });
      expect(r.code, `${next}: ${r.stdout}${r.stderr}`).toBe(0);
      expect(r.stdout).not.toMatch(/does not exist/);
      pending.delete(next);
      done.add(next);
    }
    expect(done.size).toBe(4);
  });

  it("a schedule's command is honoured: run has no test tasks, test has only test tasks", () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('cmd', `schedules:
  - {name: hourly, cron: '0 * * * *', command: run}
  - {name: checks, cron: '30 * * * *', command: test}
`),
      'profiles.yml': PROFILE('cmd'),
      'models/a.sql': 'select 1 as x',
      'models/b.sql': "select x from {{ ref('a') }}",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: b\n    columns:\n      - name: x\n        data_tests: [not_null]\n',
    });
    expect(cli(['export', 'airflow', '--out', 'dags'], { cwd: dir }).code).toBe(0);
    const text = readFileSync(join(dir, 'dags/cairn_cmd.py'), 'utf8');
    const dag = parseDag(join(dir, 'dags/cairn_cmd.py'));
    expect(dag.dags.map((d) => d.dag_id)).toEqual(['cairn_cmd__hourly', 'cairn_cmd__checks']);
    const cmds = Object.values(dag.tasks).map((t) => t.command.trim());
    expect(cmds).toContain('run --select a --ds {{ ds }}');
    expect(cmds).toContain('run --select b --ds {{ ds }}');
    expect(cmds).toContain('test --select b+1,resource_type:test --ds {{ ds }}');
    expect(cmds.filter((c) => c.startsWith('build'))).toEqual([]);
  });
});
