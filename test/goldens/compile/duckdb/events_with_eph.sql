
with __dbt__cte__events_eph as (
select event_id, value * 2 as doubled from "analytics"."base_events"
),
extra as (select 1 as one)
select e.*, extra.one from __dbt__cte__events_eph e, extra
