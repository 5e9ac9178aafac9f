// The pipeline's first step: load the raw order files delivered up to the run date (one folder per
// day under data/orders/<YYYY-MM-DD>/) into the `bronze.load_orders` table, through the adapter. A real
// project would pull from an API here; the shape is the same: read, then ctx.writeRows().
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export const config = { retries: 2, retry_delay: 1, schema: 'bronze', root_path: 'bronze' };

const COLUMNS = {
  order_id: 'INTEGER', customer_id: 'INTEGER', amount: 'DECIMAL(12,2)', status: 'VARCHAR',
  order_timestamp: 'TIMESTAMP', file_day: 'VARCHAR',
};

export default async function loadOrders(ctx) {
  const root = new URL('../data/orders/', import.meta.url);
  const days = existsSync(root) ? readdirSync(root).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && d <= ctx.ds).sort() : [];
  const rows = [];
  for (const day of days) {
    for (const file of readdirSync(new URL(`${day}/`, root)).filter((f) => f.endsWith('.csv')).sort()) {
      const [header, ...lines] = readFileSync(new URL(`${day}/${file}`, root), 'utf8').trim().split(/\r?\n/);
      const names = header.split(',');
      for (const line of lines) {
        const values = line.split(',');
        rows.push({ ...Object.fromEntries(names.map((n, i) => [n, values[i]])), file_day: day });
      }
    }
  }
  ctx.log(`loaded ${rows.length} orders from ${days.length} day(s) up to ${ctx.ds}`);
  return ctx.writeRows(rows, { columns: COLUMNS });
}
