// The sample project plus a few models that exercise column lineage (rename, join, select *),
// SQL the parser cannot read, doc blocks, and a hostile description.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { copySample } from '../helpers/project.js';

export const XSS = `<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">`;

export function docsFixture(): string {
  const dir = copySample();
  const files: Record<string, string> = {
    'models/gold/customers.sql': `select 1 as customer_id, 'Ann' as customer_name\n`,
    'models/gold/customer_orders.sql':
      `select o.order_id as id, o.customer_id, c.customer_name, o.amount\n` +
      `from {{ ref('orders_incremental') }} o join {{ ref('customers') }} c on o.customer_id = c.customer_id\n`,
    'models/gold/orders_all.sql': `select * from {{ ref('orders_summary') }}\n`,
    // DuckDB's PIVOT statement: valid for the engine, not readable by the lineage parser.
    'models/gold/status_pivot.sql': `pivot {{ ref('orders_raw') }} on status using sum(amount)\n`,
    'models/docs.md': `{% docs orders_all_doc %}\nEvery day's **orders**, as in \`orders_summary\`.\n\n| unit | meaning |\n|---|---|\n| day | one calendar day |\n\n> Counted after returns.\n{% enddocs %}\n`,
    // Every other node kind the site shows: a seed, a snapshot, a singular test and a unit test.
    'seeds/countries.csv': 'code,name\nDE,Germany\nFR,France\n',
    'snapshots/customers_snap.sql': "{% snapshot customers_snap %}\n{{ config(unique_key='customer_id', strategy='check', check_cols='all', target_schema='snapshots') }}\nselect * from {{ ref('customers') }}\n{% endsnapshot %}\n",
    'tests/no_negative_amounts.sql': "select * from {{ ref('customer_orders') }} where amount < 0\n",
    'models/unit.yml': `unit_tests:
  - name: names_come_from_customers
    model: customer_orders
    given:
      - input: ref('orders_incremental')
        rows:
          - {order_id: 1, customer_id: 7, amount: 3.5}
      - input: ref('customers')
        rows:
          - {customer_id: 7, customer_name: Zoe}
    expect:
      rows:
        - {id: 1, customer_name: Zoe}
`,
    'models/fixture.yml': `version: 2
models:
  - name: orders_all
    description: "{{ doc('orders_all_doc') }}"
    columns:
      - name: total_amount
        description: Sum of amounts.
        tests: [not_null]
  - name: customers
    description: '${XSS.replace(/'/g, "''")}'
`,
  };
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), content);
  }
  return dir;
}
