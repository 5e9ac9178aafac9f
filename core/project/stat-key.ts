// The stat key the partial-parse cache compares (core/cache/partial-parse.ts), in one place for the
// main thread and the read worker (read-worker.ts).
import type { Stats } from 'node:fs';

export const statKeyOf = (st: Stats): string => `${st.size}:${st.ino}:${st.ctimeMs}:${st.mtimeMs}`;
