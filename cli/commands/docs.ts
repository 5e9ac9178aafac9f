import { spawn } from 'node:child_process';
import { Command } from 'commander';
import { CairnError } from '../../core/errors.js';
import { action } from '../errors.js';
import { withCommonOptions, type CommonFlags } from '../common-options.js';
import { createReporter, yellow } from '../reporter.js';

const exit = (err: { exitCode: number }) => process.exit(err.exitCode === 0 ? 0 : 2);

function generateCommand(): Command {
  return withCommonOptions(new Command('generate').description('write manifest.json, catalog.json and the docs site to target/'))
    .option('--empty-catalog', 'do not read relations from the engine (catalog.json stays empty)')
    .option('--static', 'also write static_index.html: the whole site in one file')
    .exitOverride(exit)
    .action(action(async (f: CommonFlags & { emptyCatalog?: boolean; static?: boolean }) => {
      const [{ docsGenerate }, { toCommonOptions }] = await Promise.all([import('../../core/api/docs.js'), import('../core-options.js')]);
      const r = await docsGenerate({ ...toCommonOptions(f), emptyCatalog: f.emptyCatalog, static: f.static, onEvent: createReporter(f.logFormat ?? 'text') });
      for (const u of r.unresolvedModels) {
        process.stdout.write(`${yellow('[WARNING]')} column lineage of ${u.id} is unresolved: ${u.reason.split('\n')[0]}\n`);
      }
      process.stdout.write(`Catalog: ${r.catalogCount} relation${r.catalogCount === 1 ? '' : 's'}${f.emptyCatalog ? ' (--empty-catalog)' : ''}\n`);
      process.stdout.write(`Docs site for ${r.nodeCount} nodes written to ${r.targetDir}/index.html${f.static ? ' and static_index.html' : ''}\n`);
      return 0;
    }));
}

function serveCommand(): Command {
  return new Command('serve')
    .description('serve target/ (the docs site) on http://127.0.0.1:8080')
    .option('--project-dir <dir>', 'project folder (default: current folder)')
    .option('--port <port>', 'port to listen on', '8080')
    .option('--host <address>', 'address to bind (default 127.0.0.1: only this machine)', '127.0.0.1')
    .option('--open', 'open the site in a browser')
    .option('--debug', 'print stack traces for unexpected errors')
    .exitOverride(exit)
    .action(action(async (f: { projectDir?: string; port: string; host: string; open?: boolean }) => {
      const port = Number(f.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CairnError('USAGE', `--port must be a port number, got \`${f.port}\``);
      const { docsServe } = await import('../../core/api/docs.js');
      const { server, url } = await docsServe({ projectDir: f.projectDir ?? process.cwd(), host: f.host, port });
      process.stdout.write(`Serving docs at ${url} (Ctrl-C to stop)\n`);
      if (f.open) {
        const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
        spawn(opener, [url], { stdio: 'ignore', detached: true }).on('error', () => process.stdout.write(`(could not start ${opener}; open ${url} yourself)\n`)).unref();
      }
      await new Promise<void>((done) => {
        const stop = () => server.close(() => done());
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      return 0;
    }));
}

export function docsCommand(): Command {
  return new Command('docs').description('generate and serve the documentation site').addCommand(generateCommand()).addCommand(serveCommand()).exitOverride(exit);
}
