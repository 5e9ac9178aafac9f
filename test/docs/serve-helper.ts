// Runs `cairn docs serve` on a free port on 127.0.0.1 and waits (bounded) for it to listen.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { cliPath } from '../helpers/project.js';

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

export async function serve(dir: string): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const child = spawn(process.execPath, [cliPath, 'docs', 'serve', '--port', String(port)], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const deadline = Date.now() + 30_000;
  while (!/Serving docs at (\S+)/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`docs serve did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: /Serving docs at (\S+)/.exec(out)![1]!, stop: () => child.kill('SIGTERM') };
}
