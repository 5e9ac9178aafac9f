// A plain text table for `cairn show`.
export function formatTable(columns: string[], rows: Record<string, unknown>[]): string {
  const cell = (v: unknown) => (v === null || v === undefined ? 'null' : v instanceof Date ? formatDate(v) : typeof v === 'object' ? JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x)) : String(v));
  const data = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...data.map((d) => d[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const sep = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(columns), sep, ...data.map(line)].join('\n');
}

function formatDate(d: Date): string {
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('T', ' ').replace('.000Z', '').replace('Z', '');
}
