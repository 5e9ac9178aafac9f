select
  (date '2024-01-31' + cast(1 as bigint) * interval 1 day) as plus_day,
  (date '2024-03-31' + cast(-2 as bigint) * interval 1 month) as minus_months,
  (date '2024-01-15' + cast(1 as bigint) * 3 * interval 1 month) as plus_quarter,
  date_diff('month', cast(date '2024-01-15' as timestamp), cast(date '2024-03-01' as timestamp)) as months_between,
  date_diff('day', cast(timestamp '2024-01-01 23:00:00' as timestamp), cast(timestamp '2024-01-02 01:00:00' as timestamp)) as days_between,
  date_trunc('month', date '2024-05-17') as month_start,
  cast(((date_trunc('month', date '2024-02-10') + cast(1 as bigint) * interval 1 month) + cast(-1 as bigint) * interval 1 day) as date) as feb_end,
  cast(((date_trunc('quarter', date '2024-05-10') + cast(1 as bigint) * 3 * interval 1 month) + cast(-1 as bigint) * interval 1 day) as date) as quarter_end,
  make_date(2023, 10, 4) as built_date,
  now() is not null as has_now,
  cast(current_timestamp as timestamp) is not null as has_now_backcompat,
  cast(now() at time zone 'UTC' as timestamp) as utc_now
