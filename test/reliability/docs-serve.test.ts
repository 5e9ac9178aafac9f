// `docs serve` serves regular files under target/ only: a symlink leading out of it is not followed.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveDocs } from '../../core/docs/serve.js';
import { project } from './helpers.js';

describe('docs serve and symlinks', () => {
  it('does not follow symlinks out of target/, and serves links that stay inside', async () => {
    const dir = project('docsym');
    const outside = project('docsym_secret', { 'secret.txt': 'TOP SECRET' });
    mkdirSync(join(dir, 'target/sub'), { recursive: true });
    writeFileSync(join(dir, 'target/index.html'), '<html>docs</html>');
    writeFileSync(join(dir, 'target/sub/manifest.json'), '{}');
    symlinkSync(join(outside, 'secret.txt'), join(dir, 'target/leak.txt'));
    symlinkSync(outside, join(dir, 'target/outside'));
    symlinkSync(join(dir, 'target/sub/manifest.json'), join(dir, 'target/inner.json'));
    const { server, url } = await serveDocs({ projectDir: dir, port: 0 });
    try {
      const get = async (p: string) => {
        const r = await fetch(url + p, { signal: AbortSignal.timeout(5000) });
        return { status: r.status, body: await r.text() };
      };
      expect(await get('')).toEqual({ status: 200, body: '<html>docs</html>' });
      expect((await get('leak.txt')).status).toBe(404);
      expect((await get('outside/secret.txt')).status).toBe(404);
      expect(await get('inner.json')).toEqual({ status: 200, body: '{}' });
      expect((await get('%E0%A4%A')).status).toBe(400);
      expect((await get('')).status).toBe(200); // still up after the bad request
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
