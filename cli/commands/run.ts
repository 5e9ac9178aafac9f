import { Command } from 'commander';
import type { ResourceType } from '../../core/project/types.js';
import { CairnError } from '../../core/errors.js';
import { action } from '../errors.js';
import { withCommonOptions, type CommonFlags } from '../common-options.js';
import { green, red } from '../reporter.js';
import { withSignals } from '../signals.js';

type Flags = CommonFlags & { changedOnly?: boolean; favorState?: boolean; empty?: boolean; failFast?: boolean; wait?: boolean; waitTimeout: string; start?: string; end?: string; concurrencyDays?: string; resourceType?: string[]; defer?: boolean; wap?: boolean };

/** `run`, `build`, `seed`, `test`, `snapshot` share one shape: select, execute, report. */
export function executeCommand(name: 'run' | 'build' | 'seed' | 'test' | 'snapshot', description: string): Command {
  const cmd = withCommonOptions(new Command(name).description(description));
  if (name === 'build') cmd.option('--wap', 'write-audit-publish: build and test on a run branch, merge into the target branch only if every node passed (Dremio, versioned catalog)');
  return cmd
    .option('--full-refresh', 'rebuild incremental models and seeds from scratch')
    .option('--changed-only', 'reuse models whose code and inputs are unchanged since their last build (target/build_ledger.json); default: `changed_only:` in dbt_project.yml')
    .option('--no-changed-only', 'build every selected node even when the project sets changed_only: true')
    .option('--empty', "build every model with zero rows: each ref and source reads `(select * from ... where false limit 0)` (dbt's --empty)")
    .option('-x, --fail-fast', 'stop at the first failure and cancel running statements')
    .option('--resource-type <types...>', 'only these kinds: seed, snapshot, model, test')
    .option('--defer', 'refs to models not in this run and not built here read the --state relations')
    .option('--favor-state', 'with --defer: such refs read the --state relations even when built here')
    .option('--wait', 'wait for another run on the same target instead of failing')
    .option('--wait-timeout <seconds>', 'with --wait: give up after this many seconds', '3600')
    .option('--start <date>', 'backfill: first ds (with --end)')
    .option('--end <date>', 'backfill: last ds, included (with --start)')
    .option('--concurrency-days <n>', 'backfill: days run at once (default 1, in date order)')
    .action(action(async (f: Flags) =>
      withSignals(async (signal) => {
        const [{ parseCount, toCommonOptions }, { runOutput }] = await Promise.all([import('../core-options.js'), import('../run-output.js')]);
        const report = runOutput(f);
        const waitTimeoutMs = parseCount('--wait-timeout', f.waitTimeout) * 1000;
        const common = { ...toCommonOptions(f), ...(f.empty ? { compileOptions: { empty: true } } : {}), resourceTypes: f.resourceType as ResourceType[] | undefined, defer: f.defer, favorState: f.favorState, changedOnly: f.changedOnly, failFast: f.failFast, wait: f.wait, waitTimeoutMs, wap: f.wap, signal, onEvent: report };
        if (f.start !== undefined || f.end !== undefined) {
          if (f.start === undefined || f.end === undefined) throw new CairnError('USAGE', 'a backfill needs both --start and --end', { hint: 'e.g. --start 2024-01-01 --end 2024-01-07' });
          if (f.ds !== undefined) throw new CairnError('USAGE', '--ds and --start/--end do not go together', { hint: 'each day of a backfill is its own ds' });
          if (f.wap) throw new CairnError('USAGE', '--wap and --start/--end do not go together', { hint: 'build each day with --ds <day> --wap' });
          const { backfill } = await import('../../core/orchestration/backfill.js');
          const r = await backfill(name, { ...common, start: f.start, end: f.end, concurrencyDays: f.concurrencyDays === undefined ? undefined : Number(f.concurrencyDays) });
          if (f.logFormat !== 'json') {
            process.stdout.write(`\nBackfill ${f.start}..${f.end}: ${r.days.filter((d) => d.success).length} of ${r.planned.length} day(s) OK\n`);
            for (const d of r.days) {
              const bad = d.results.filter((x) => x.status === 'error' || x.status === 'fail').map((x) => x.uniqueId);
              const line = `  ${d.ds}  ${d.success ? 'OK' : 'FAILED'}${bad.length ? `  error: ${bad.join(', ')}` : ''}${d.blocked.length ? `  left out (failed earlier): ${d.blocked.join(', ')}` : ''}`;
              process.stdout.write((d.success ? green(line) : red(line)) + '\n');
            }
            const notRun = r.planned.filter((ds) => !r.days.some((d) => d.ds === ds));
            if (notRun.length) process.stdout.write(red(`  not run: ${notRun.join(', ')}`) + '\n');
          } else {
            process.stdout.write(JSON.stringify({ ts: new Date().toISOString(), event: 'backfill_end', success: r.success, days: r.days.map((d) => ({ ds: d.ds, success: d.success, blocked: d.blocked })) }) + '\n');
          }
          if (signal.aborted) return 130;
          return r.success ? 0 : 1;
        }
        const { execute } = await import('../../core/api/run.js');
        const r = await execute(name, common);
        if (signal.aborted) return 130;
        return r.success ? 0 : 1;
      })));
}
