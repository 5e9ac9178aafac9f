// Synthetic projects for the benchmarks: a layered DAG of N models, written as a dbt/cairn project
// or as the same DAG in Dataform's layout. Deterministic (seeded PRNG) so runs compare.
import { mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type Materialized = 'table' | 'view' | 'incremental' | 'ephemeral';

export interface BenchModel {
  name: string;
  layer: number;
  materialized: Materialized;
  parents: string[];
  /** Layer-0 models read a source table instead of refs. */
  source?: string;
  /** Uses `{% set %}` lists, loops and a project macro (not fast-path material). */
  rich: boolean;
  tested: boolean;
}

export interface BenchDag {
  models: BenchModel[];
  layers: number;
  sources: string[];
  seeds: number;
}

/** mulberry32: tiny, seeded, good enough to spread refs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const modelName = (i: number) => `m_${String(i).padStart(5, '0')}`;

export function makeDag(n: number, seed = 42): BenchDag {
  const rand = prng(seed);
  const layers = Math.max(3, Math.min(40, Math.round(Math.sqrt(n) / 2)));
  const perLayer = Math.ceil(n / layers);
  const sources = Array.from({ length: Math.min(50, perLayer) }, (_x, i) => `events_${i}`);
  const models: BenchModel[] = [];
  const kinds: Materialized[] = ['view', 'view', 'table', 'incremental', 'ephemeral'];
  for (let i = 0; i < n; i++) {
    const layer = Math.floor(i / perLayer);
    const m: BenchModel = {
      name: modelName(i),
      layer,
      materialized: layer === 0 ? 'table' : kinds[Math.floor(rand() * kinds.length)]!,
      parents: [],
      rich: rand() < 0.4,
      tested: i % 5 === 0,
    };
    if (layer === 0) m.source = sources[i % sources.length];
    else {
      // 1–3 parents, mostly from the previous layer (keeps the critical path = number of layers).
      const k = 1 + Math.floor(rand() * 3);
      const prevStart = (layer - 1) * perLayer;
      const ps = new Set<string>();
      ps.add(modelName(prevStart + Math.floor(rand() * perLayer)));
      while (ps.size < k) ps.add(modelName(Math.floor(rand() * layer * perLayer)));
      m.parents = [...ps];
    }
    models.push(m);
  }
  return { models, layers, sources, seeds: 10 };
}

function write(root: string, rel: string, content: string): void {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, content);
}

const layerDir = (m: BenchModel) => `layer_${String(m.layer).padStart(2, '0')}`;

export function modelSql(m: BenchModel): string {
  const lines: string[] = [];
  const cfg = m.materialized === 'incremental' ? `materialized='incremental', unique_key='id'` : `materialized='${m.materialized}'`;
  lines.push(`{{ config(${cfg}, tags=['${layerDir(m)}']) }}`);
  if (m.rich) lines.push(`{% set metrics = ['amount', 'quantity', 'discount'] %}`);
  const froms = m.source ? [`{{ source('raw', '${m.source}') }}`] : m.parents.map((p) => `{{ ref('${p}') }}`);
  lines.push('with');
  lines.push(froms.map((f, i) => `p${i} as (\n    select * from ${f}\n)`).join(',\n'));
  lines.push('select');
  lines.push('    p0.id,');
  lines.push('    p0.updated_at,');
  if (m.rich) {
    lines.push(`    {{ cents_to_dollars('p0.amount') }} as amount_usd,`);
    lines.push('    {% for c in metrics %}');
    lines.push('    p0.{{ c }} as {{ c }}_{{ loop.index }}{% if not loop.last %},{% endif %}');
    lines.push('    {% endfor %}');
  } else {
    lines.push('    p0.amount,');
    lines.push('    p0.quantity');
  }
  lines.push('from p0');
  for (let i = 1; i < froms.length; i++) lines.push(`left join p${i} on p${i}.id = p0.id`);
  lines.push(`where p0.event_date >= '{{ var("start_date") }}'`);
  if (m.materialized === 'incremental') {
    lines.push('{% if is_incremental() %}');
    lines.push('  and p0.updated_at > (select max(updated_at) from {{ this }})');
    lines.push('{% endif %}');
  }
  return lines.join('\n') + '\n';
}

const MACROS = `{% macro cents_to_dollars(col, scale=2) -%}
    round({{ col }} / 100.0, {{ scale }})
{%- endmacro %}

{% macro safe_divide(a, b) -%}
    case when {{ b }} = 0 then null else {{ a }} / {{ b }} end
{%- endmacro %}

{% macro key_of(cols) -%}
    {% for c in cols %}coalesce(cast({{ c }} as varchar), ''){% if not loop.last %} || '-' || {% endif %}{% endfor %}
{%- endmacro %}
`;

function schemaYaml(models: BenchModel[]): string {
  const out = ['version: 2', 'models:'];
  for (const m of models) {
    out.push(`  - name: ${m.name}`);
    out.push(`    description: "Synthetic model ${m.name} in ${layerDir(m)}, ${m.materialized}."`);
    out.push('    columns:');
    out.push('      - name: id');
    out.push('        description: "Primary key."');
    if (m.tested) out.push('        data_tests: [unique, not_null]');
    out.push('      - name: updated_at');
    out.push('        description: "Last change."');
  }
  return out.join('\n') + '\n';
}

export function writeCairnProject(root: string, dag: BenchDag): void {
  rmSync(root, { recursive: true, force: true });
  write(root, 'dbt_project.yml', `name: bench
version: '1.0.0'
profile: bench
model-paths: ["models"]
seed-paths: ["seeds"]
macro-paths: ["macros"]
target-path: "target"
vars:
  start_date: '2024-01-01'
models:
  bench:
    +materialized: view
`);
  write(root, 'profiles.yml', `bench:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: bench.duckdb
      schema: main
      threads: 4
`);
  write(root, 'macros/bench_macros.sql', MACROS);
  write(root, 'models/sources.yml', `version: 2
sources:
  - name: raw
    schema: raw
    tables:
${dag.sources.map((s) => `      - name: ${s}\n        description: "Raw ${s}."`).join('\n')}
`);
  const byLayer = new Map<string, BenchModel[]>();
  for (const m of dag.models) {
    write(root, `models/${layerDir(m)}/${m.name}.sql`, modelSql(m));
    const l = byLayer.get(layerDir(m)) ?? [];
    l.push(m);
    byLayer.set(layerDir(m), l);
  }
  for (const [dir, ms] of byLayer) write(root, `models/${dir}/schema.yml`, schemaYaml(ms));
  for (let s = 0; s < dag.seeds; s++) {
    const rows = Array.from({ length: 20 }, (_x, r) => `${r},code_${s}_${r},${(r * 1.5).toFixed(2)}`);
    write(root, `seeds/seed_${s}.csv`, ['id,code,value', ...rows].join('\n') + '\n');
  }
}

/** The same DAG, trivially: every model is a view `select <i> as id` over its parents (for `run`). */
export function writeTrivialProject(root: string, n: number, threads = 4): void {
  rmSync(root, { recursive: true, force: true });
  const dag = makeDag(n);
  write(root, 'dbt_project.yml', `name: trivial\nprofile: trivial\nmodels:\n  trivial:\n    +materialized: view\n`);
  write(root, 'profiles.yml', `trivial:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: trivial.duckdb\n      schema: main\n      threads: ${threads}\n`);
  for (const [i, m] of dag.models.entries()) {
    const sql = m.parents.length
      ? `select ${i} as id from ${m.parents.map((p) => `{{ ref('${p}') }}`).join(' cross join ')} limit 0\n`
      : `select ${i} as id\n`;
    write(root, `models/${layerDir(m)}/${m.name}.sql`, sql);
  }
}

/** The same DAG as a Dataform project: definitions/*.sqlx with `${ref()}`. */
export function writeDataformProject(root: string, dag: BenchDag, coreVersion = '3.0.62'): void {
  rmSync(root, { recursive: true, force: true });
  write(root, 'workflow_settings.yaml', `dataformCoreVersion: ${coreVersion}\ndefaultProject: bench\ndefaultLocation: US\ndefaultDataset: bench\ndefaultAssertionDataset: bench_assertions\nvars:\n  start_date: '2024-01-01'\n`);
  write(root, 'includes/macros.js', `function cents_to_dollars(col, scale = 2) { return \`round(\${col} / 100.0, \${scale})\`; }\nmodule.exports = { cents_to_dollars };\n`);
  write(root, 'definitions/sources.js', dag.sources.map((s) => `declare({ schema: "raw", name: "${s}" });`).join('\n') + '\n');
  for (const m of dag.models) {
    const type = m.materialized === 'ephemeral' ? 'view' : m.materialized;
    const cfg = [`type: "${type}"`, `tags: ["${layerDir(m)}"]`, `description: "Synthetic model ${m.name}."`];
    if (m.materialized === 'incremental') cfg.push(`uniqueKey: ["id"]`);
    if (m.tested) cfg.push(`assertions: { uniqueKey: ["id"], nonNull: ["id"] }`);
    const froms = m.source ? [`\${ref("raw", "${m.source}")}`] : m.parents.map((p) => `\${ref("${p}")}`);
    const body: string[] = [`config { ${cfg.join(', ')} }`, ''];
    if (m.rich) body.push('js {\n  const metrics = ["amount", "quantity", "discount"];\n}');
    body.push('with');
    body.push(froms.map((f, i) => `p${i} as (\n    select * from ${f}\n)`).join(',\n'));
    body.push('select\n    p0.id,\n    p0.updated_at,');
    if (m.rich) {
      body.push('    ${macros.cents_to_dollars("p0.amount")} as amount_usd,');
      body.push('    ${metrics.map((c, i) => `p0.${c} as ${c}_${i + 1}`).join(",\\n    ")}');
    } else body.push('    p0.amount,\n    p0.quantity');
    body.push('from p0');
    for (let i = 1; i < froms.length; i++) body.push(`left join p${i} on p${i}.id = p0.id`);
    body.push(`where p0.event_date >= '\${dataform.projectConfig.vars.start_date}'`);
    if (m.materialized === 'incremental') body.push('${ when(incremental(), `and p0.updated_at > (select max(updated_at) from ${self()})`) }');
    write(root, `definitions/${layerDir(m)}/${m.name}.sqlx`, body.join('\n') + '\n');
  }
}

/**
 * Dates every file under `root` (but target/) a minute back, as in a project whose files were not all
 * written in the last 2 s: caches trust a file's stat only once it is that old (partial-parse.ts).
 */
export function settleTree(root: string): void {
  const old = new Date(Date.now() - 60_000);
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (f === 'target') continue;
      if (statSync(p).isDirectory()) walk(p);
      else utimesSync(p, old, old);
    }
  };
  walk(root);
}
