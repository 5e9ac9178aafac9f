// Seed loading speed: a 100,000-row CSV (ints, decimals, dates, timestamps, quoted text with commas
// and newlines) through `cairn seed` on DuckDB. Prints the parse and load times; no assertions.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adapterRegistry } from '../adapters/registry.js';
import { execute } from '../core/api/index.js';

const ROWS = Number(process.env.ROWS ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-seed-'));
mkdirSync(join(dir, 'seeds'));
writeFileSync(join(dir, 'dbt_project.yml'), 'name: bench\nprofile: bench\n');
writeFileSync(join(dir, 'profiles.yml'), 'bench:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: bench.duckdb\n      schema: main\n      threads: 1\n');
const lines = ['id,amount,day,ts,flag,note'];
for (let i = 0; i < ROWS; i++) {
  const note = i % 10 === 0 ? `"note, with comma ${i}"` : i % 97 === 0 ? `"two\nlines"` : `plain ${i}`;
  lines.push(`${i},${(i * 1.25).toFixed(2)},2024-01-${String((i % 28) + 1).padStart(2, '0')},2024-02-01 10:${String(i % 60).padStart(2, '0')}:00,${i % 2 === 0},${note}`);
}
writeFileSync(join(dir, 'seeds', 'big.csv'), lines.join('\n') + '\n');

const t0 = performance.now();
const r = await execute('seed', { projectDir: dir, adapters: adapterRegistry });
const total = performance.now() - t0;
const res = r.results[0]!;
console.log(JSON.stringify({
  bench: 'seed-load', rows: ROWS, status: res.status,
  seed_node_seconds: Number(res.executionTime.toFixed(3)),
  total_invocation_seconds: Number((total / 1000).toFixed(3)),
}));
