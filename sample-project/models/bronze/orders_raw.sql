{# Raw orders as delivered: one folder of CSV files per day. The table holds every day up to the
   logical run date, so a backfill for an earlier ds sees only what had arrived by then. #}
{% if target.type == 'dremio' %}
{# Dremio: the files were loaded by orders_landing (COPY INTO); each drop holds that day's orders,
   so the delivery day is the order's day. #}
select order_id, customer_id, amount, status, order_timestamp, file_day
from (
    select order_id, customer_id, amount, status, order_timestamp,
           cast(cast(order_timestamp as date) as varchar) as file_day
    from {{ ref('orders_landing') }}
) as landed
where file_day <= '{{ ds }}'
{% else %}
select
    order_id,
    customer_id,
    amount,
    status,
    order_timestamp,
    {{ file_day('filename') }} as file_day
from read_csv('{{ var("orders_path") }}/*/*.csv', header = true, filename = true,
              columns = {'order_id': 'INTEGER', 'customer_id': 'INTEGER', 'amount': 'DECIMAL(12,2)',
                         'status': 'VARCHAR', 'order_timestamp': 'TIMESTAMP'})
where {{ file_day('filename') }} <= '{{ ds }}'
{% endif %}
