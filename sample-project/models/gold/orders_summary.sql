-- Orders and revenue per day, for dashboards.
select
    order_date,
    count(*) as order_count,
    sum(amount) as total_amount
from {{ ref('orders_incremental') }}
group by order_date
