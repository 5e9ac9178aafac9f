select
  TIMESTAMPADD(DAY, CAST(1 AS INTEGER), CAST(date '2024-01-31' AS TIMESTAMP)) as plus_day,
  TIMESTAMPADD(MONTH, CAST(-2 AS INTEGER), CAST(date '2024-03-31' AS TIMESTAMP)) as minus_months,
  TIMESTAMPADD(QUARTER, CAST(1 AS INTEGER), CAST(date '2024-01-15' AS TIMESTAMP)) as plus_quarter,
  TIMESTAMPDIFF(MONTH, DATE_TRUNC('MONTH', CAST(date '2024-01-15' AS TIMESTAMP)), DATE_TRUNC('MONTH', CAST(date '2024-03-01' AS TIMESTAMP))) as months_between,
  TIMESTAMPDIFF(DAY, DATE_TRUNC('DAY', CAST(timestamp '2024-01-01 23:00:00' AS TIMESTAMP)), DATE_TRUNC('DAY', CAST(timestamp '2024-01-02 01:00:00' AS TIMESTAMP))) as days_between,
  date_trunc('month', date '2024-05-17') as month_start,
  cast(TIMESTAMPADD(DAY, CAST(-1 AS INTEGER), CAST(TIMESTAMPADD(MONTH, CAST(1 AS INTEGER), CAST(date_trunc('month', date '2024-02-10') AS TIMESTAMP)) AS TIMESTAMP)) as date) as feb_end,
  cast(TIMESTAMPADD(DAY, CAST(-1 AS INTEGER), CAST(TIMESTAMPADD(QUARTER, CAST(1 AS INTEGER), CAST(date_trunc('quarter', date '2024-05-10') AS TIMESTAMP)) AS TIMESTAMP)) as date) as quarter_end,
  to_date('2023-10-04', 'YYYY-MM-DD') as built_date,
  CURRENT_TIMESTAMP is not null as has_now,
  cast(current_timestamp as timestamp) is not null as has_now_backcompat,
  cast(current_timestamp as timestamp) as utc_now
