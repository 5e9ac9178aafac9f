import { Command } from 'commander';
import { formatInZone } from '../../core/util/time-format.js';
import { action } from '../errors.js';
import { withCommonOptions, type CommonFlags } from '../common-options.js';

/** `cairn schedule`: run the project's schedules until SIGTERM; `--list` prints next fire times. */
export function scheduleCommand(): Command {
  return withCommonOptions(new Command('schedule').description('run the schedules of dbt_project.yml (long-running); --list shows next fire times'), { selection: false })
    .option('--list', 'print each schedule and its next fire times, then exit')
    .option('--name <names...>', 'serve only these schedules')
    .action(action(async (f: CommonFlags & { list?: boolean; name?: string[] }) => {
      const [{ listSchedules, serveSchedules }, { toCommonOptions }, { runOutput }] = await Promise.all([import('../../core/api/schedule.js'), import('../core-options.js'), import('../run-output.js')]);
      const o = toCommonOptions(f);
      if (f.list) {
        const ls = listSchedules({ projectDir: o.projectDir });
        if (f.logFormat === 'json') process.stdout.write(JSON.stringify(ls.map((s) => ({ ...s, next: s.next.map((d) => d.toISOString()) })), null, 2) + '\n');
        else if (!ls.length) process.stdout.write('no schedules in dbt_project.yml\n');
        for (const s of f.logFormat === 'json' ? [] : ls) {
          process.stdout.write(`${s.name}  ${s.cron}  (${s.timezone})  ${s.command}${s.select ? ` --select ${s.select.join(' ')}` : ''}${s.target ? ` --target ${s.target}` : ''}\n`);
          for (const d of s.next) process.stdout.write(`  next: ${formatInZone(d, s.timezone)}\n`);
        }
        return 0;
      }
      const report = runOutput(f);
      const hard = new AbortController();
      const line = (msg: string) => report({ type: 'warning', message: msg });
      // Signal handlers go in before the scheduler prints anything: a supervisor may send SIGTERM as
      // soon as it reads the first line. First signal: no new runs, let running ones finish;
      // second: cancel them.
      let stopRequested!: () => void;
      const stopping = new Promise<void>((resolve) => { stopRequested = resolve; });
      const onSig = () => {
        if (hard.signal.aborted) return;
        process.off('SIGINT', onSig); process.off('SIGTERM', onSig);
        const again = () => hard.abort();
        process.once('SIGINT', again); process.once('SIGTERM', again);
        stopRequested();
      };
      process.on('SIGINT', onSig);
      process.on('SIGTERM', onSig);
      const s = serveSchedules({
        ...o, names: f.name, signal: hard.signal, onEvent: report,
        onLog: (e) => {
          if (f.logFormat === 'json') process.stdout.write(JSON.stringify({ ts: new Date().toISOString(), event: `schedule_${e.type}`, ...e }) + '\n');
          else if (e.type === 'fire') process.stdout.write(`schedule ${e.schedule}: run ${e.runId} started\n`);
          else if (e.type === 'done') process.stdout.write(`schedule ${e.schedule}: run ${e.runId} ${e.success ? 'succeeded' : 'failed'}${e.error ? `: ${e.error}` : ''}\n`);
          else if (e.type === 'skip') line(`schedule ${e.schedule}: skipped the fire at ${e.at.toISOString()}: ${e.reason}`);
          else process.stdout.write(`schedule ${e.schedule}: next run at ${e.at.toISOString()}\n`);
        },
      });
      if (!s.schedules.length) {
        process.off('SIGINT', onSig); process.off('SIGTERM', onSig);
        process.stdout.write('no schedules to serve\n');
        await s.stop();
        return 0;
      }
      await stopping;
      process.stdout.write('stopping: waiting for running jobs to finish (signal again to cancel them)\n');
      await s.stop();
      process.stdout.write('scheduler stopped\n');
      return 0;
    }));
}
