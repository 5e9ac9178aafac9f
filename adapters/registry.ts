// Maps a profile's `type:` to its adapter. The composition root (CLI, package entry) hands this to
// core, which never imports an engine itself.
import { CairnError } from '../core/errors.js';
import { didYouMean } from '../core/util/did-you-mean.js';
import type { AdapterProvider, Target } from './adapter.js';
import { dremioProvider } from './dremio/index.js';
import { duckdbProvider } from './duckdb/index.js';

const providers: Record<string, AdapterProvider> = {
  duckdb: duckdbProvider,
  dremio: dremioProvider,
};

function providerFor(target: Target): AdapterProvider {
  const p = providers[target.type];
  if (!p) {
    throw new CairnError('ADAPTER_UNKNOWN', `no adapter for target type \`${target.type}\` (target ${target.name})`, {
      hint: didYouMean(target.type, Object.keys(providers)) ?? `available: ${Object.keys(providers).join(', ')}`,
    });
  }
  return p;
}

export const adapterRegistry: AdapterProvider = {
  dialect: (target) => providerFor(target).dialect(target),
  connect: (target, ctx) => providerFor(target).connect(target, ctx),
};
