// `--changed-only` against a full rebuild, after a change touching 1% of the inputs: engine statements
// and wall time side by side. `npm run build && node dist/bench/changed-only.js [models]`.
// Two projects in one run:
// - generated: 100 seeds (the inputs) and N models in layers (tables and views, each reading 1-3
//   earlier ones or a seed); the change edits one row in 1% of the seeds (at least one);
// - jaffle_shop-shaped (test/fixtures/jaffle: 3 seeds, 3 staging views, 2 marts, data tests); the
//   smallest change there is one row of one seed (raw_payments), 1 of its 3 sources.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { duckdbProvider } from '../adapters/duckdb/index.js';
import type { Adapter, AdapterProvider } from '../adapters/adapter.js';
import { build } from '../core/api/index.js';

const MODELS = Number(process.argv[2] ?? 500);
const SEEDS = 100;

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

function project(root: string): void {
  write(root, 'dbt_project.yml', 'name: chg\nprofile: chg\nmodels:\n  chg:\n    +materialized: table\n');
  write(root, 'profiles.yml', 'chg:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: chg.duckdb\n      schema: main\n      threads: 4\n');
  for (let s = 0; s < SEEDS; s++) write(root, `seeds/s${s}.csv`, 'id,v\n' + Array.from({ length: 20 }, (_x, r) => `${r},${r * s}`).join('\n') + '\n');
  let seed = 7;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let i = 0; i < MODELS; i++) {
    const parents = i < SEEDS ? [`{{ ref('s${i}') }}`] : Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => `{{ ref('m${Math.floor(rnd() * i)}') }}`);
    const view = i % 4 === 3 ? "{{ config(materialized='view') }}\n" : '';
    write(root, `models/m${i}.sql`, `${view}select count(*) as n, ${i} as k from (${parents.map((p) => `select 1 as x from ${p}`).join(' union all ')})\n`);
  }
}

/** Counts every statement the engine is sent (materializations and queries). */
function counting(inner: AdapterProvider): AdapterProvider & { statements: number } {
  const p = {
    statements: 0,
    dialect: inner.dialect.bind(inner),
    connect(target: Parameters<AdapterProvider['connect']>[0], ctx: Parameters<AdapterProvider['connect']>[1]): Adapter {
      const real = inner.connect(target, ctx);
      // Methods run with `this` = w, so they share the state w.open() set (one database instance).
      const w: Adapter = Object.create(real);
      const { executeAll, execute } = real;
      w.executeAll = async (s, o) => { p.statements += s.length; return executeAll.call(w, s, o); };
      w.execute = async (s, o) => { p.statements += 1; return execute.call(w, s, o); };
      return w;
    },
  };
  return p as AdapterProvider & { statements: number };
}

async function timed(dir: string, changedOnly: boolean) {
  const adapters = counting(duckdbProvider);
  const t = performance.now();
  const r = await build({ projectDir: dir, profilesDir: dir, adapters, changedOnly, onEvent: () => undefined });
  if (!r.success) throw new Error('build failed');
  return { ms: performance.now() - t, statements: adapters.statements, reused: r.results.filter((x) => x.reused).length, nodes: r.results.length };
}

/**
 * Builds `p` once (filling the ledger), applies `change`, copies project, database and ledger to `q`
 * (the same starting point for both), then rebuilds `p` in full and `q` with --changed-only, then `q`
 * again with nothing changed. Prints one table.
 */
async function compare(title: string, p: string, change: () => void): Promise<void> {
  await timed(p, true);
  change();
  const q = `${p}-q`;
  cpSync(p, q, { recursive: true });
  const full = await timed(p, false);
  const changed = await timed(q, true);
  const nothing = await timed(q, true);
  console.log(`\n${title}:`);
  console.log('| build | engine statements | wall | nodes reused |');
  console.log('|---|---|---|---|');
  console.log(`| full rebuild | ${full.statements} | ${(full.ms / 1000).toFixed(2)} s | 0 of ${full.nodes} |`);
  console.log(`| --changed-only | ${changed.statements} | ${(changed.ms / 1000).toFixed(2)} s | ${changed.reused} of ${changed.nodes} |`);
  console.log(`| --changed-only, nothing changed | ${nothing.statements} | ${(nothing.ms / 1000).toFixed(2)} s | ${nothing.reused} of ${nothing.nodes} |`);
}

const base = mkdtempSync(join(tmpdir(), 'cairn-bench-changed-'));
try {
  const gen = join(base, 'p');
  project(gen);
  const touched = Math.max(1, Math.round(SEEDS / 100));
  await compare(`${MODELS} models + ${SEEDS} seeds, ${touched} seed(s) changed (${(100 * touched / SEEDS).toFixed(0)}% of inputs)`, gen, () => {
    for (let s = 0; s < touched; s++) write(gen, `seeds/s${s}.csv`, 'id,v\n0,999\n' + Array.from({ length: 19 }, (_x, r) => `${r + 1},${r}`).join('\n') + '\n');
  });

  // dist/bench/changed-only.js -> the repository's test/fixtures/jaffle.
  const jaffle = join(base, 'jaffle');
  cpSync(resolve(dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/jaffle'), jaffle, { recursive: true });
  await compare('jaffle_shop-shaped (test/fixtures/jaffle), one row of raw_payments changed (1 of 3 sources)', jaffle, () => {
    const f = join(jaffle, 'seeds/raw_payments.csv');
    const [head, first, ...rest] = readFileSync(f, 'utf8').split('\n');
    const cols = first!.split(',');
    cols[cols.length - 1] = String(Number(cols[cols.length - 1]) + 1);
    writeFileSync(f, [head, cols.join(','), ...rest].join('\n'));
  });
} finally {
  rmSync(base, { recursive: true, force: true });
}
