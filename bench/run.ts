// `npm run bench [-- --sizes 1000,10000,50000 --runs 3 --run-max 10000 --peer dataform --peer-max 1000]`
// Generates synthetic projects, times cairn commands in child processes (wall time and peak RSS,
// medians of --runs), and writes bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeDag, modelName, writeCairnProject, settleTree, writeDataformProject, writeTrivialProject } from './generate.js';
import { schedulerOverhead, simulatedRun } from './scheduler-bench.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const cli = join(repo, 'dist/cairn.mjs'); // the bundled CLI, what `cairn` runs (package.json bin)
const hook = join(here, 'rss-hook.js');

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : dflt;
}
const sizes = arg('sizes', '1000,10000,50000').split(',').map(Number);
const runs = Number(arg('runs', '3'));
const runMax = Number(arg('run-max', '10000'));
const peer = arg('peer', '');
const peerMax = Number(arg('peer-max', '1000'));

interface Timing { ms: number; rss: number }

function timeCmd(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): Timing {
  const rssFile = join(tmpdir(), `cairn-bench-rss-${process.pid}`);
  rmSync(rssFile, { force: true });
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CAIRN_BENCH_RSS_FILE: rssFile, ...env }, maxBuffer: 1 << 28 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`.slice(0, 4000));
  const rss = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : NaN;
  return { ms, rss };
}

const cairn = (args: string[], cwd: string) => timeCmd(process.execPath, ['--import', hook, cli, ...args], cwd);

// A fixed amount of JavaScript work (objects, strings, JSON, a heap that grows) in a fresh Node
// process, timed just before each size's cold compiles. This workplace's VMs run the same work 30-40%
// slower from one quarter of an hour to the next, so a row is read together with how fast the
// machine was while it was measured (~0.25 s in a fast minute here).
const CALIBRATION = "let s=0;const a=[];for(let i=0;i<400000;i++){const o={a:i,b:'x'+i,c:[i,i+1]};s+=JSON.stringify(o).length;if(i%4===0)a.push(o)}";
const calibrate = (): Timing => repeat(() => timeCmd(process.execPath, ['-e', CALIBRATION], tmpdir()));

function median(xs: Timing[]): Timing {
  const s = [...xs].sort((a, b) => a.ms - b.ms);
  const rss = [...xs].map((x) => x.rss).sort((a, b) => a - b);
  return { ms: s[Math.floor(s.length / 2)]!.ms, rss: rss[Math.floor(rss.length / 2)]! };
}
function repeat(fn: () => Timing, before?: () => void): Timing {
  const xs: Timing[] = [];
  for (let i = 0; i < runs; i++) {
    before?.();
    xs.push(fn());
  }
  return median(xs);
}
const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtMb = (b: number) => (Number.isFinite(b) ? `${(b / 1048576).toFixed(0)} MB` : 'n/a');

function installDataform(): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-dataform-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"dataform-peer","private":true}');
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '@dataform/cli', '@dataform/core'], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) {
    console.log(`dataform: npm install failed: ${(r.stderr || r.stdout).split('\n').slice(-5).join(' ')}`);
    return undefined;
  }
  return dir;
}

// Each cold compile starts with no target/. The last run's target/ is moved aside, not deleted, and
// nothing is deleted until every size is measured: on ext4 without a journal (as this workplace's
// disk is) a new inode is never given a number freed in the last minute or more, and
// finding one scans past each freed number (ext4's recently_deleted()), so 14,000 files created right
// after 14,000 were deleted cost 1.5-2.5 s of kernel time (perf: ~40% of a cold 10k compile's
// samples). That cost is the deletion's, measured on its own in the last column.
let trashed = 0;
function moveAside(dir: string, trash: string): void {
  mkdirSync(trash, { recursive: true });
  if (existsSync(join(dir, 'target'))) renameSync(join(dir, 'target'), join(trash, String(trashed++)));
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'cairn-bench-'));
  const trash = join(work, 'trash');
  const rows: string[] = [];
  const projects: Array<{ dir: string; cold: Timing }> = [];
  const notes: string[] = [];
  const dataformDir = peer === 'dataform' ? installDataform() : undefined;
  if (peer && peer !== 'dataform') throw new Error(`unknown peer ${peer}`);
  for (const n of sizes) {
    const dir = join(work, `p${n}`);
    const dag = makeDag(n);
    writeCairnProject(dir, dag);
    settleTree(dir);
    const speed = calibrate();
    const cold = repeat(() => cairn(['compile'], dir), () => moveAside(dir, trash));
    // Warm: edit one model in the middle of the DAG, then compile just it (partial parse).
    const one = modelName(Math.floor(n / 2));
    const file = join(dir, 'models', `layer_${String(dag.models[Math.floor(n / 2)]!.layer).padStart(2, '0')}`, `${one}.sql`);
    let k = 0;
    const warm = repeat(() => cairn(['compile', '--select', one], dir), () => appendFileSync(file, `-- edit ${k++}\n`));
    const ls = repeat(() => cairn(['ls'], dir));
    let runCol = 'skipped', perNode = '';
    if (n <= runMax) {
      const tdir = join(work, `t${n}`);
      writeTrivialProject(tdir, n);
      const r = repeat(() => cairn(['run'], tdir), () => rmSync(join(tdir, 'trivial.duckdb'), { force: true }));
      runCol = `${fmtMs(r.ms)} (${fmtMb(r.rss)})`;
      perNode = `${(r.ms / n).toFixed(2)} ms`;
    }
    const sched = await schedulerOverhead(n);
    let peerCol = '';
    if (dataformDir && n <= peerMax) {
      const ddir = join(work, `d${n}`);
      const coreVersion = (JSON.parse(readFileSync(join(dataformDir, 'node_modules/@dataform/core/package.json'), 'utf8')) as { version: string }).version;
      writeDataformProject(ddir, dag, coreVersion);
      try {
        const bin = join(dataformDir, 'node_modules/.bin/dataform');
        const d = timeCmd(bin, ['compile', ddir, '--json', '--timeout=30m'], dataformDir);
        peerCol = `${fmtMs(d.ms)} (${(d.ms / cold.ms).toFixed(0)}×)`;
      } catch (e) {
        peerCol = 'failed';
        notes.push(`Dataform compile at N=${n} failed: ${String((e as Error).message).split('\n').slice(0, 6).join(' ')}`);
      }
    }
    const row = `| ${n} | ${fmtMs(cold.ms)} | ${fmtMb(cold.rss)} | ${fmtMs(warm.ms)} | ${fmtMs(ls.ms)} | ${runCol} | ${perNode} | ${(sched * 1000).toFixed(1)} µs |${peer ? ` ${peerCol} |` : ''} ${fmtMs(speed.ms)} |`;
    console.log(row);
    rows.push(row);
    projects.push({ dir, cold });
  }
  // Last, as it frees inodes: a cold compile right after `rm -rf target` (see moveAside).
  projects.forEach(({ dir, cold }, i) => {
    const afterRm = repeat(() => cairn(['compile'], dir), () => rmSync(join(dir, 'target'), { recursive: true, force: true }));
    rows[i] += ` ${fmtMs(afterRm.ms)} (+${fmtMs(Math.max(0, afterRm.ms - cold.ms))}) |`;
    console.log(rows[i]);
  });
  const sims = [await simulatedRun(2000, 4, 20), await simulatedRun(2000, 16, 20)];
  const header = `| models | cold compile | peak RSS | warm \`compile --select\` one edited model | \`ls\` (warm) | \`run\` on DuckDB, trivial models (peak RSS) | run wall / node | scheduler overhead / node |${peer ? ' Dataform compile (ratio) |' : ''} fixed JS work (machine speed) | cold compile right after \`rm -rf target\` |\n|---|---|---|---|---|---|---|---|${peer ? '---|' : ''}---|---|`;
  const simLines = sims.map((s) => `| ${s.n} | ${s.threads} | ${s.taskMs} ms | ${fmtMs(s.wallMs)} | ${fmtMs(s.idealMs)} | ${((s.ratio - 1) * 100).toFixed(1)}% |`);
  const md = `# cairn benchmarks

Generated by \`npm run bench\` (bench/run.ts) on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}.
Medians of ${runs} runs, each command in a fresh child process (wall time includes Node startup).
Projects: bench/generate.ts — a layered DAG, each model refs 1–3 earlier ones; table/view/incremental/ephemeral;
\`config()\`, \`is_incremental()\`, \`{% set %}\` lists and loops, project macros (40% of models), schema YAML
with descriptions (tests for a fifth of the models), sources and seeds.

${header}
${rows.join('\n')}

Cold compile = load, parse and render every model, build and check the graph, write target/compiled and
manifest.json, with no partial-parse cache and no target/ (the last one moved aside). Warm = after appending
a line to one model, with the cache. Last column: the same cold compile when target/ was deleted just
before; on ext4 without a journal new inodes skip recently freed ones (bench/run.ts, moveAside), so
that costs the file system the extra time shown. Fixed JS work: the same JavaScript in a fresh Node
process, timed just before that size's cold compiles (bench/run.ts, CALIBRATION): how fast the machine
was while the row was measured.

## Scheduler with simulated fixed-duration nodes (same DAG shape)

| nodes | threads | node duration | wall | ideal max(critical path, work/threads) | over ideal |
|---|---|---|---|---|---|
${simLines.join('\n')}
${notes.length ? '\n## Notes\n\n' + notes.map((x) => `- ${x}`).join('\n') + '\n' : ''}`;
  writeFileSync(join(repo, 'bench/RESULTS.md'), md);
  console.log(md);
  rmSync(work, { recursive: true, force: true });
  if (dataformDir) rmSync(dataformDir, { recursive: true, force: true });
}

mkdirSync(tmpdir(), { recursive: true });
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
