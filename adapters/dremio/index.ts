import type { AdapterProvider } from '../adapter.js';
import { DremioAdapter } from './dremio-adapter.js';
import { dremioDialect } from './dremio-dialect.js';

export const dremioProvider: AdapterProvider = {
  dialect: () => dremioDialect,
  connect: (target, ctx) => {
    const a = new DremioAdapter(target);
    if (ctx?.onWarning) a.client.notice = ctx.onWarning;
    return a;
  },
};
