// `npm run build && node dist/bench/startup.js [--runs 5]`
// The fixed cost every command pays before doing any work: `--version`, `--help` and `compile` of a
// 10-model project, each in a fresh process, for the bundled CLI (dist/cairn.mjs, what `cairn`
// runs) and the unbundled tsc output (dist/cli/main.js). Prints medians of --runs wall times.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeTrivialProject } from './generate.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const i = process.argv.indexOf('--runs');
const runs = i >= 0 ? Number(process.argv[i + 1]) : 5;

function medianMs(args: string[], cwd: string): number {
  const ms: number[] = [];
  for (let k = 0; k < runs; k++) {
    rmSync(join(cwd, 'target'), { recursive: true, force: true }); // no partial-parse cache
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    ms.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  }
  return ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)]!;
}

const dir = mkdtempSync(join(tmpdir(), 'cairn-startup-'));
writeTrivialProject(dir, 10);
const cases = [['--version'], ['--help'], ['compile']];
const rows = [`| CLI | node alone | ${cases.map((c) => `\`${c.join(' ')}\``).join(' | ')} |`, `|---|---|${cases.map(() => '---|').join('')}`];
const node = medianMs(['-e', '0'], dir);
for (const cli of ['dist/cairn.mjs', 'dist/cli/main.js']) {
  const cells = cases.map((c) => `${medianMs([join(repo, cli), ...c], dir).toFixed(0)} ms`);
  rows.push(`| ${cli} | ${node.toFixed(0)} ms | ${cells.join(' | ')} |`);
}
rmSync(dir, { recursive: true, force: true });
console.log(`Medians of ${runs} runs, Node ${process.version}\n\n${rows.join('\n')}`);
