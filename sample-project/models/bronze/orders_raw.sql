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
{# DuckDB: the files were loaded by the load_orders task (tasks/load_orders.mjs). #}
select order_id, customer_id, amount, status, order_timestamp, file_day
from {{ ref('load_orders') }}
where file_day <= '{{ ds }}'
{% endif %}
