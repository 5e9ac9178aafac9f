// The Dremio adapter's own overhead per statement (submit + status polls + results) against emulator
// jobs of fixed duration (default 200 ms). Reports two numbers per statement:
//   - HTTP work: time spent in the adapter's requests (submit, polls, results), i.e. what the adapter adds;
//   - wall overshoot: wall time minus the job's duration (includes poll-interval slack).
// Usage: npm run build && node dist/bench/dremio-overhead.js [--job-ms 200] [--n 30] [--threads 4]
import { parseArgs } from 'node:util';
import { DremioAdapter } from '../adapters/dremio/dremio-adapter.js';
import { startEmulator } from '../test/dremio-emulator/server.js';

const { values } = parseArgs({ options: { 'job-ms': { type: 'string' }, n: { type: 'string' }, threads: { type: 'string' } } });
const jobMs = Number(values['job-ms'] ?? 200);
const n = Number(values.n ?? 50);
const threads = Number(values.threads ?? 4);

const em = await startEmulator({ jobDurationMs: jobMs, jobPolls: 0 });
for (const poll of [{ label: 'default polling (20 ms x1.2 -> 1 s)' }, { label: 'coarse polling (50 ms x1.5 -> 1 s)', poll_initial_ms: 50, poll_factor: 1.5 }]) {
const adapter = new DremioAdapter({ name: 'bench', type: 'dremio', schema: 'main', threads, software_host: '127.0.0.1', port: em.port, user: 'dremio', password: 'dremio123', ...poll });
await adapter.open();
console.log(`\n== ${poll.label}`);
// Warm up the JIT on both sides (the emulator runs in this process) before measuring.
for (let i = 0; i < 10; i++) await adapter.execute('SELECT 1 AS warmup', { fetch: true });

async function one(): Promise<{ wall: number; busy: number; requests: number }> {
  const s0 = { ...adapter.client.stats };
  const t0 = performance.now();
  await adapter.execute('SELECT 42 AS answer', { fetch: true });
  const wall = performance.now() - t0;
  return { wall, busy: adapter.client.stats.busyMs - s0.busyMs, requests: adapter.client.stats.requests - s0.requests };
}

const seq: Array<{ wall: number; busy: number; requests: number }> = [];
for (let i = 0; i < n; i++) seq.push(await one());
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const busy = seq.map((s) => s.busy);
const over = seq.map((s) => s.wall - jobMs);
console.log(`Dremio adapter overhead vs ${jobMs} ms emulator jobs (${n} sequential statements, fetch=true)`);
console.log(`  requests/statement  ${mean(seq.map((s) => s.requests)).toFixed(1)} (submit + polls + results)`);
console.log(`  HTTP work           mean ${mean(busy).toFixed(1)} ms  median ${median(busy).toFixed(1)} ms  p95 ${p95(busy).toFixed(1)} ms  = ${((mean(busy) / jobMs) * 100).toFixed(1)}% of the job`);
console.log(`  wall overshoot      mean ${mean(over).toFixed(1)} ms  p95 ${p95(over).toFixed(1)} ms  = ${((mean(over) / jobMs) * 100).toFixed(1)}% of the job (includes poll slack)`);

// Concurrent statements share one Agent: per-statement overhead should not grow with threads.
const t0 = performance.now();
await Promise.all(Array.from({ length: threads }, async () => { for (let i = 0; i < 5; i++) await adapter.execute('SELECT 42 AS answer', { fetch: true }); }));
const wall = performance.now() - t0;
console.log(`  ${threads} concurrent lanes x 5 statements: ${wall.toFixed(0)} ms wall = ${(wall / 5).toFixed(1)} ms per statement per lane (job ${jobMs} ms)`);
const ok = mean(busy) / jobMs < 0.1;
console.log(ok ? '  PASS: adapter HTTP work < 10% of the job' : '  FAIL: adapter HTTP work >= 10% of the job');
await adapter.close();
}
await em.close();
