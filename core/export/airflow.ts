// `cairn export airflow`: the project as an Airflow DAG file. One BashOperator per buildable node
// (models, seeds, snapshots, ingestion), dependencies mirroring cairn's DAG (through ephemeral
// models and sources), the project's `schedules:` as DAG schedules, retries from node configs, and
// the logical date passed as `--ds {{ ds }}`. Output is a pure function of the project: same
// project, same bytes (no timestamps, stable ordering).
import { relative } from 'node:path';
import type { ParsedProject } from '../compile/parse-project.js';
import { CairnError } from '../errors.js';
import { stableTopoOrder } from '../graph/dag.js';
import { selectNodes } from '../graph/selection.js';
import type { ProjectNode } from '../project/types.js';

export interface AirflowExportOptions {
  /** `build`: one `cairn build` task per node (node + its tests); `separate`: run then test tasks. */
  tests: 'build' | 'separate';
  /** Folder the DAG file goes to: the project folder is written relative to it. */
  outDir: string;
  /** A --target passed on to every task. */
  target?: string;
}

interface Task {
  id: string;
  variable: string;
  command: string;
  retries?: number;
  retryDelay?: number;
  upstream: string[];
}

interface Schedule {
  dagId: string;
  /** The schedule's `command:` (build by default): which kinds of task its DAG holds. */
  command: string;
  cron: string | null;
  timezone: string;
  select?: string[];
  exclude?: string[];
  target?: string;
}

const py = (s: string) => JSON.stringify(s);
const ident = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');
const SKIP = new Set(['source', 'test', 'unit_test', 'analysis', 'operation']);

export function isTaskNode(n: ProjectNode): boolean {
  return !SKIP.has(n.resourceType) && n.config.materialized !== 'ephemeral';
}

function commandFor(n: ProjectNode): string {
  if (n.resourceType === 'seed') return 'seed';
  if (n.resourceType === 'snapshot') return 'snapshot';
  return 'run';
}

/** Each task node's nearest task ancestors, looking through ephemeral models and other non-task nodes. */
export function taskUpstreams(p: ParsedProject, ids: ReadonlySet<string>): Map<string, string[]> {
  const memo = new Map<string, Set<string>>();
  const above = (id: string): Set<string> => {
    let s = memo.get(id);
    if (s) return s;
    s = new Set();
    memo.set(id, s);
    for (const d of p.nodes.get(id)?.dependsOn.nodes ?? []) {
      if (ids.has(d)) s.add(d);
      else for (const x of above(d)) s.add(x);
    }
    return s;
  };
  return new Map([...ids].map((id) => [id, [...above(id)].sort()]));
}

function schedulesOf(p: ParsedProject): Schedule[] {
  const project = p.ctx.project.name;
  const raw = p.ctx.project.raw.schedules;
  if (raw === undefined || raw === null) return [{ dagId: `cairn_${project}`, command: 'build', cron: null, timezone: 'UTC' }];
  if (typeof raw === 'string') return [{ dagId: `cairn_${project}`, command: 'build', cron: raw, timezone: 'UTC' }];
  if (!Array.isArray(raw)) {
    throw new CairnError('CONFIG_INVALID', '`schedules:` in dbt_project.yml must be a list of {name, cron, ...}', { file: 'dbt_project.yml' });
  }
  const list = (v: unknown) => (v === undefined || v === null ? undefined : Array.isArray(v) ? v.map(String) : String(v).split(/\s+/).filter(Boolean));
  return raw.map((s: Record<string, unknown>, i) => {
    if (!s || typeof s !== 'object' || typeof s.cron !== 'string') {
      throw new CairnError('CONFIG_INVALID', `schedule ${i + 1} in dbt_project.yml has no \`cron:\``, { file: 'dbt_project.yml', hint: "e.g. - {name: nightly, cron: '0 3 * * *'}" });
    }
    return {
      dagId: `cairn_${project}__${ident(String(s.name ?? i + 1))}`,
      command: typeof s.command === 'string' ? s.command : 'build',
      cron: s.cron,
      timezone: typeof s.timezone === 'string' ? s.timezone : 'UTC',
      select: list(s.select),
      exclude: list(s.exclude),
      target: typeof s.target === 'string' ? s.target : undefined,
    };
  });
}

/** The node kinds each schedule command builds (`test` builds none: it only has test tasks). */
const BUILDS: Record<string, (n: ProjectNode) => boolean> = {
  build: () => true,
  run: (n) => n.resourceType === 'model' || n.resourceType === 'task',
  seed: (n) => n.resourceType === 'seed',
  snapshot: (n) => n.resourceType === 'snapshot',
  test: () => false,
};

function tasksFor(p: ParsedProject, sched: Schedule, o: AirflowExportOptions): Task[] {
  const ctx = { nodes: p.nodes, dag: p.dag, projectName: p.ctx.project.name };
  const chosen = selectNodes(ctx, sched.select, sched.exclude).selected;
  const candidates = new Set([...chosen].filter((id) => isTaskNode(p.nodes.get(id)!)));
  const builds = BUILDS[sched.command] ?? BUILDS.build!;
  const ids = new Set([...candidates].filter((id) => builds(p.nodes.get(id)!)));
  const ups = taskUpstreams(p, ids);
  const withTests = sched.command === 'build' || sched.command === 'test';
  // A test on one node runs in (or right after) that node's task; a test on several nodes (e.g.
  // `relationships`) gets a task of its own after all of them, or it would run before one exists.
  const tested = new Map<string, Set<string>>();
  const shared: ProjectNode[] = [];
  for (const n of withTests ? p.nodes.values() : []) {
    if (n.resourceType !== 'test' && n.resourceType !== 'unit_test') continue;
    const on = n.dependsOn.nodes.filter((d) => candidates.has(d));
    if (on.length > 1 && n.resourceType === 'test') shared.push(n);
    else for (const d of on) tested.set(d, (tested.get(d) ?? new Set()).add(n.resourceType));
  }
  const target = sched.target ?? o.target;
  const suffix = ` --ds {{ ds }}${target ? ` --target ${target}` : ''}`;
  const sharedOf = (id: string) => shared.filter((t) => t.dependsOn.nodes.includes(id)).map((t) => t.name).sort();
  const exclude = (id: string) => (sharedOf(id).length ? ` --exclude ${sharedOf(id).join(' ')}` : '');
  // In `separate` mode a tested node's children wait for its test task, as `cairn build` would.
  const last = new Map<string, string>();
  const tasks: Task[] = [];
  const testsOnly = sched.command === 'test';
  const order = testsOnly ? [...candidates].sort((a, b) => p.nodes.get(a)!.name.localeCompare(p.nodes.get(b)!.name)) : stableTopoOrder(ups, (id) => p.nodes.get(id)!.name);
  // Ready tasks by name: a stable order for stable bytes.
  for (const id of order) {
    const n = p.nodes.get(id)!;
    const retries = typeof n.config.retries === 'number' ? n.config.retries : undefined;
    const retryDelay = typeof n.config.retry_delay === 'number' ? n.config.retry_delay : undefined;
    const upstream = testsOnly ? [] : ups.get(id)!.map((u) => last.get(u)!);
    const base = { retries, retryDelay };
    // `name+1,resource_type:test`: the tests attached to the node (its direct test children), exactly.
    const testSel = [...(tested.get(id) ?? [])].sort().map((t) => `${n.name}+1,resource_type:${t}`).join(' ');
    if (testsOnly) {
      if (tested.has(id)) tasks.push({ id: `${n.name}__test`, variable: `t_${ident(n.name)}__test`, command: `test --select ${testSel}${exclude(id)}${suffix}`, upstream, ...base });
    } else if (o.tests === 'build' && sched.command === 'build') {
      tasks.push({ id: n.name, variable: `t_${ident(n.name)}`, command: `build --select ${n.name}${tested.has(id) ? ' ' + testSel : ''}${exclude(id)}${suffix}`, upstream, ...base });
      last.set(id, n.name);
    } else {
      const cmd = sched.command === 'build' ? commandFor(n) : sched.command;
      tasks.push({ id: n.name, variable: `t_${ident(n.name)}`, command: `${cmd} --select ${n.name}${suffix}`, upstream, ...base });
      last.set(id, n.name);
      if (tested.has(id) && withTests) {
        const tid = `${n.name}__test`;
        tasks.push({ id: tid, variable: `t_${ident(tid)}`, command: `test --select ${testSel}${exclude(id)}${suffix}`, upstream: [n.name], ...base });
        last.set(id, tid);
      }
    }
  }
  for (const t of shared.sort((a, b) => a.name.localeCompare(b.name))) {
    const upstream = testsOnly ? [] : [...new Set(t.dependsOn.nodes.filter((d) => last.has(d)).map((d) => last.get(d)!))].sort();
    tasks.push({ id: t.name, variable: `t_${ident(t.name)}`, command: `test --select ${t.name}${suffix}`, upstream });
  }
  return tasks;
}

export function airflowDagFile(p: ParsedProject, o: AirflowExportOptions): string {
  const rel = relative(o.outDir, p.ctx.projectDir).split('\\').join('/') || '.';
  const lines = [
    `# Generated by \`cairn export airflow\` from the cairn project ${p.ctx.project.name}. Do not edit: re-run the export.`,
    '# Each task runs one node with cairn for the run\'s logical date (--ds {{ ds }}); set CAIRN_BIN to the cairn executable.',
    'import os',
    'from datetime import timedelta',
    '',
    'import pendulum',
    'from airflow import DAG',
    'from airflow.operators.bash import BashOperator',
    '',
    'CAIRN = os.environ.get("CAIRN_BIN", "cairn")',
    `PROJECT_DIR = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ${py(rel)}))`,
  ];
  const taskIds = new Map<string, string>();
  for (const s of schedulesOf(p)) {
    const tasks = tasksFor(p, s, o);
    const dagVar = `dag_${ident(s.dagId)}`;
    lines.push('', '', 'with DAG(');
    lines.push(`    dag_id=${py(s.dagId)},`);
    lines.push(`    schedule=${s.cron === null ? 'None' : py(s.cron)},`);
    lines.push(`    start_date=pendulum.datetime(2024, 1, 1, tz=${py(s.timezone)}),`);
    lines.push('    catchup=False,', '    max_active_runs=1,', `    tags=["cairn", ${py(p.ctx.project.name)}],`);
    lines.push(`) as ${dagVar}:`);
    if (tasks.length === 0) lines.push('    pass');
    for (const t of tasks) {
      taskIds.set(t.variable, t.id);
      lines.push(`    ${t.variable} = BashOperator(`);
      lines.push(`        task_id=${py(t.id)},`);
      lines.push(`        bash_command=CAIRN + ${py(' ' + t.command)},`);
      lines.push('        cwd=PROJECT_DIR,');
      if (t.retries !== undefined) lines.push(`        retries=${t.retries},`);
      if (t.retryDelay !== undefined) lines.push(`        retry_delay=timedelta(seconds=${t.retryDelay}),`);
      lines.push('    )');
    }
    const byId = new Map(tasks.map((t) => [t.id, t.variable]));
    const edges = tasks.flatMap((t) => t.upstream.map((u) => `    ${byId.get(u)} >> ${t.variable}`));
    if (edges.length) lines.push('', ...edges);
  }
  return lines.join('\n') + '\n';
}
