// The CLI's last line of defence: a CairnError prints as a located message with its hint and exit
// code; anything else is a bug, printed briefly (with the stack only under --debug).
import { isCairnError } from '../core/errors.js';
import { redact } from '../core/util/redact.js';
import { red } from './reporter.js';

export function reportError(e: unknown, debug = false): number {
  if (isCairnError(e)) {
    process.stderr.write(redact(e.format()).replace(/^error/gm, red('error')) + '\n');
    if (debug && e.stack) process.stderr.write(redact(e.stack) + '\n');
    return e.exitCode;
  }
  const err = e as Error;
  process.stderr.write(`${red('error')}[INTERNAL]: ${redact(String(err?.message ?? e))}\n`);
  process.stderr.write(debug && err?.stack ? redact(err.stack) + '\n' : '  (run with --debug for the stack trace; please report this)\n');
  return 2;
}

/** Wraps a command action: runs it, maps its outcome to the process exit code. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number | void> | number | void) {
  return async (...args: A) => {
    const cmd = args[args.length - 1] as { optsWithGlobals?: () => { debug?: boolean } };
    const debug = Boolean(cmd?.optsWithGlobals?.().debug) || process.argv.includes('--debug');
    try {
      const code = await fn(...args);
      process.exitCode = typeof code === 'number' ? code : 0;
    } catch (e) {
      process.exitCode = reportError(e, debug);
    }
  };
}
