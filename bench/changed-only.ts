// `--changed-only` against a full rebuild, after a change touching 1% of the inputs: engine statements
// and wall time side by side. `npm run build && node dist/bench/changed-only.js [models]`.
// Project: 50 seeds (the inputs) and N models in layers (tables and views, each reading 1-3 earlier
// ones or a seed); the change edits one row in 1% of the seeds (at least one).
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { duckdbProvider } from '../adapters/duckdb/index.js';
import type { Adapter, AdapterProvider } from '../adapters/adapter.js';
import { build } from '../core/api/index.js';

const MODELS = Number(process.argv[2] ?? 500);
const SEEDS = 50;

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
      const w: Adapter = Object.create(real);
      w.executeAll = async (s, o) => { p.statements += s.length; return real.executeAll(s, o); };
      w.execute = async (s, o) => { p.statements += 1; return real.execute(s, o); };
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

const base = mkdtempSync(join(tmpdir(), 'cairn-bench-changed-'));
try {
  project(join(base, 'p'));
  await timed(join(base, 'p'), true); // the first build fills the ledger
  const touched = Math.max(1, Math.round(SEEDS / 100));
  for (let s = 0; s < touched; s++) write(join(base, 'p'), `seeds/s${s}.csv`, 'id,v\n0,999\n' + Array.from({ length: 19 }, (_x, r) => `${r + 1},${r}`).join('\n') + '\n');
  // The same starting point for both: a copy of the project, database and ledger.
  cpSync(join(base, 'p'), join(base, 'q'), { recursive: true });
  const full = await timed(join(base, 'p'), false);
  const changed = await timed(join(base, 'q'), true);
  const nothing = await timed(join(base, 'q'), true);
  console.log(`${MODELS} models + ${SEEDS} seeds, ${touched} seed(s) changed (${(100 * touched / SEEDS).toFixed(0)}% of inputs):`);
  console.log('| build | engine statements | wall | nodes reused |');
  console.log('|---|---|---|---|');
  console.log(`| full rebuild | ${full.statements} | ${(full.ms / 1000).toFixed(2)} s | 0 of ${full.nodes} |`);
  console.log(`| --changed-only | ${changed.statements} | ${(changed.ms / 1000).toFixed(2)} s | ${changed.reused} of ${changed.nodes} |`);
  console.log(`| --changed-only, nothing changed | ${nothing.statements} | ${(nothing.ms / 1000).toFixed(2)} s | ${nothing.reused} of ${nothing.nodes} |`);
} finally {
  rmSync(base, { recursive: true, force: true });
}
