// `cairn state`: per microbatch model, which intervals are done, failed or missing, from the
// target's `cairn_state.intervals` table.
import { batchInterval } from '../execute/materializations/microbatch.js';
import { readIntervals } from '../orchestration/interval-state.js';
import { isDate } from '../orchestration/run-dates.js';
import { CairnError } from '../errors.js';
import type { CommonOptions } from './options.js';
import { loadAndParse, select } from './project.js';

export interface ModelIntervals {
  uniqueId: string;
  name: string;
  batchSize: string;
  done: string[];
  failed: string[];
  missing: string[];
}

export async function state(o: CommonOptions & { start?: string; end?: string }): Promise<ModelIntervals[]> {
  for (const [flag, v] of [['--start', o.start], ['--end', o.end]] as const) {
    if (v !== undefined && !isDate(v)) throw new CairnError('USAGE', `${flag} must be a date like 2024-01-31, got \`${v}\``);
  }
  if (o.start && o.end && o.start > o.end) throw new CairnError('USAGE', `--start ${o.start} is after --end ${o.end}`);
  const p = loadAndParse(o);
  const ids = [...select(p, o, ['model'])].filter((id) => p.nodes.get(id)!.config.incremental_strategy === 'microbatch');
  const adapter = o.adapters.connect(p.ctx.target, { projectDir: p.ctx.projectDir });
  await adapter.open();
  try {
    const rows = await readIntervals(adapter, p);
    return ids.sort().map((id) => {
      const node = p.nodes.get(id)!;
      const size = String(node.config.batch_size ?? 'day');
      const mine = rows.filter((r) => r.model === id);
      const done = mine.filter((r) => r.status === 'done').map((r) => r.interval_start);
      const failed = mine.filter((r) => r.status === 'failed').map((r) => r.interval_start);
      const seen = new Set([...done, ...failed]);
      const missing: string[] = [];
      const from = o.start ?? mine[0]?.interval_start;
      const to = o.end ?? p.ctx.ds;
      if (from) {
        // Bounded: a century of days at most, whatever the dates say.
        for (let i = batchInterval(from, size); i.start <= to && missing.length < 36_600; i = batchInterval(i.end, size)) {
          if (!seen.has(i.start)) missing.push(i.start);
        }
      }
      return { uniqueId: id, name: node.name, batchSize: size, done, failed, missing };
    });
  } finally {
    await adapter.close();
  }
}

/** `2024-01-01..2024-01-03, 2024-01-05` for consecutive days; other batch sizes are listed as they are. */
export function compactDays(days: readonly string[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < days.length) {
    let j = i;
    while (j + 1 < days.length && batchInterval(days[j]!, 'day').end === days[j + 1]) j++;
    out.push(j > i ? `${days[i]}..${days[j]}` : days[i]!);
    i = j + 1;
  }
  return out.join(', ');
}
