// Bringing one package onto this machine: a local folder as it is, a git repository cloned with the
// `git` command at a revision, a tarball downloaded with undici and unpacked with `tar`. Everything
// fetched lands under the invocation's scratch folder; install.ts moves the finished set into place.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CairnError } from '../errors.js';
import { undici } from '../util/undici.js';

const run = promisify(execFile);
const TIMEOUT_MS = 120_000;

/** A URL with any user:password@ part masked: git URLs often carry a token. */
export function safeUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/)[^/@]*@/i, '$1****@');
}

async function git(args: string[], cwd: string | undefined, what: string, at: { file?: string; line?: number }): Promise<string> {
  try {
    const { stdout } = await run('git', args, {
      cwd,
      timeout: TIMEOUT_MS,
      maxBuffer: 16 << 20,
      // Never wait for a password prompt: a private repository without credentials is an error.
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'echo', LC_ALL: 'C' },
    });
    return stdout.trim();
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new CairnError('DEPS', `${what}: the \`git\` command is not installed`, { ...at, hint: 'install git, or use a `local:` or `tarball:` entry' });
    const reason = (err.stderr ?? err.message ?? '').split('\n').map((l) => l.trim()).filter(Boolean).slice(-2).join(' ');
    throw new CairnError('DEPS', `${what}: ${safeUrlsIn(reason)}`, { ...at, hint: 'check the URL and the revision (a branch, a tag or a commit sha)' });
  }
}

const safeUrlsIn = (s: string) => s.replace(/[a-z+]+:\/\/[^\s'"]+/gi, (u) => safeUrl(u));

export interface GitFetched {
  /** The folder of the package project (the clone, or its subdirectory). */
  dir: string;
  /** The commit checked out. */
  sha: string;
}

/** Clones `url` into a new folder under `scratch` and checks out `revision` (default: HEAD). */
export async function fetchGit(scratch: string, url: string, revision: string | undefined, subdirectory: string | undefined, at: { file?: string; line?: number }): Promise<GitFetched> {
  const dest = mkdtempSync(join(scratch, 'git-'));
  const what = `git package ${safeUrl(url)}${revision ? ` at ${revision}` : ''}`;
  await git(['clone', '--quiet', '--', url, dest], undefined, `cannot clone ${what}`, at);
  if (revision && revision !== 'HEAD') await git(['-c', 'advice.detachedHead=false', 'checkout', '--quiet', revision, '--'], dest, `cannot check out ${what}`, at);
  const sha = await git(['rev-parse', 'HEAD'], dest, `cannot read the commit of ${what}`, at);
  const dir = subdirectory ? resolve(dest, subdirectory) : dest;
  if (!dir.startsWith(dest) || !existsSync(join(dir, 'dbt_project.yml'))) {
    throw new CairnError('DEPS', `${what}${subdirectory ? `, subdirectory \`${subdirectory}\`,` : ''} has no dbt_project.yml`, {
      ...at,
      hint: subdirectory ? 'check `subdirectory:` (a folder of the repository holding dbt_project.yml)' : 'point `subdirectory:` at the folder of the repository that holds dbt_project.yml',
    });
  }
  return { dir, sha };
}

/** GET `url` into memory, with a timeout; network failures become `fail(reason)`. */
export async function httpGet(url: string, fail: (reason: string) => CairnError, timeoutMs = 30_000): Promise<Buffer> {
  let res;
  try {
    const u = undici();
    // Hub tarballs are often redirects (GitHub archive links).
    const dispatcher = new u.Agent().compose(u.interceptors.redirect({ maxRedirections: 5 }));
    res = await u.request(url, { method: 'GET', dispatcher, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const err = e as { code?: string; cause?: { code?: string }; message?: string };
    throw fail(err.code ?? err.cause?.code ?? err.message ?? String(e));
  }
  const body = Buffer.from(await res.body.arrayBuffer());
  if (res.statusCode >= 300) throw fail(`HTTP ${res.statusCode}`);
  return body;
}

/** Downloads and unpacks a .tar.gz; returns the folder holding its dbt_project.yml. */
export async function fetchTarball(scratch: string, url: string, label: string, at: { file?: string; line?: number }): Promise<string> {
  const bytes = await httpGet(url, (reason) => new CairnError('DEPS', `cannot download ${label} from ${safeUrl(url)}: ${reason}`, { ...at, hint: 'check the URL and the network; a `local:` entry works offline' }));
  const dest = mkdtempSync(join(scratch, 'tar-'));
  const archive = join(dest, 'package.tar.gz');
  writeFileSync(archive, bytes);
  const out = join(dest, 'x');
  await run('mkdir', ['-p', out]);
  try {
    await run('tar', ['-xzf', archive, '-C', out, '--no-same-owner'], { timeout: TIMEOUT_MS });
  } catch (e) {
    throw new CairnError('DEPS', `cannot unpack ${label} (${safeUrl(url)}): ${String((e as { stderr?: string }).stderr ?? e).trim()}`, { ...at, hint: 'the URL must serve a .tar.gz of a dbt project' });
  }
  const dir = projectFolderIn(out);
  if (!dir) throw new CairnError('DEPS', `${label} (${safeUrl(url)}) holds no dbt_project.yml`, { ...at, hint: 'the archive must contain a dbt project, at its top or in one folder' });
  return dir;
}

/** `dir` itself or its only sub-folder, whichever holds dbt_project.yml (archives wrap it in one folder). */
function projectFolderIn(dir: string): string | undefined {
  if (existsSync(join(dir, 'dbt_project.yml'))) return dir;
  const subs = readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory());
  for (const s of subs) if (existsSync(join(dir, s, 'dbt_project.yml'))) return join(dir, s);
  return undefined;
}
