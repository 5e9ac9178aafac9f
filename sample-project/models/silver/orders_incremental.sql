{{ config(unique_key='order_id', incremental_strategy='merge') }}

{# New and changed orders since the last load (watermark on order_timestamp), merged on order_id
   so a re-run or a late update never duplicates an order. #}
select
    order_id,
    customer_id,
    cast(amount as decimal(12, 2)) as amount,
    status,
    order_timestamp,
    cast(order_timestamp as date) as order_date
from {{ ref('orders_raw') }}
{% if is_incremental() %}
where order_timestamp > (select coalesce(max(order_timestamp), timestamp '1900-01-01') from {{ this }})
{% endif %}
-- An order can arrive again with a new status; keep its latest version only.
qualify row_number() over (partition by order_id order by order_timestamp desc) = 1
