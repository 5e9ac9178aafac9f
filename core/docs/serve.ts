// `cairn docs serve`: a static file server for target/ on 127.0.0.1 (another address only when
// asked with --host). It serves files and nothing else: no directory listings, no paths outside.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { targetDir } from '../artifacts/paths.js';
import { CairnError } from '../errors.js';
import { loadProjectConfig } from '../project/project-config.js';

export interface ServeOptions {
  projectDir: string;
  host?: string;
  port?: number;
  vars?: Record<string, unknown>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export function docsDir(projectDir: string, vars: Record<string, unknown> = {}): string {
  const dir = resolve(projectDir);
  const config = loadProjectConfig(dir, new Map(), vars);
  const tdir = targetDir(dir, config.targetPath);
  if (!existsSync(join(tdir, 'index.html'))) {
    throw new CairnError('USAGE', `there is no docs site in ${config.targetPath}/ yet`, { hint: 'run `cairn docs generate` first, then `cairn docs serve`' });
  }
  return tdir;
}

export async function serveDocs(o: ServeOptions): Promise<{ server: Server; url: string }> {
  // Real paths: a symlink in target/ that leads out of it (to ~/.ssh, /etc) is not served.
  const root = realpathSync(docsDir(o.projectDir, o.vars));
  const host = o.host ?? '127.0.0.1';
  const port = o.port ?? 8080;
  const server = createServer((req, res) => {
    let urlPath: string;
    try {
      urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('bad request\n');
      return;
    }
    const rel = normalize(urlPath === '/' ? '/index.html' : urlPath).replace(/^([/\\])+/, '');
    const file = servable(root, join(root, rel));
    if ((req.method !== 'GET' && req.method !== 'HEAD') || file === undefined) {
      res.writeHead(req.method === 'GET' || req.method === 'HEAD' ? 404 : 405, { 'content-type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
    res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') {
        fail(new CairnError('USAGE', `port ${port} on ${host} is already in use`, { hint: `stop the other server or pick another port: cairn docs serve --port ${port + 1}` }));
      } else if (e.code === 'EACCES') {
        fail(new CairnError('USAGE', `not allowed to listen on port ${port} on ${host}`, { hint: 'ports below 1024 need privileges; pick another with --port' }));
      } else fail(new CairnError('USAGE', `cannot listen on ${host}:${port}: ${e.message}`, { hint: 'check --host and --port' }));
    });
    server.listen(port, host, () => ok());
  });
  const addr = server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}/` };
}

/** `file`'s real path when it is a regular file inside `root` (itself a real path), else undefined. */
function servable(root: string, file: string): string | undefined {
  if (!file.startsWith(root + sep) || !existsSync(file)) return undefined;
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return undefined;
  }
  return real.startsWith(root + sep) && statSync(real).isFile() ? real : undefined;
}
