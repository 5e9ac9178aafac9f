-- dbt's type macros, qualified and unqualified
select
  cast('abc' as TEXT) as s,
  cast('2024-01-02 03:04:05' as timestamp) as ts,
  cast(1.5 as float) as f,
  cast(2.25 as numeric(28,6)) as n,
  cast(3 as bigint) as b,
  cast(4 as integer) as i,
  cast(true as boolean) as bo
