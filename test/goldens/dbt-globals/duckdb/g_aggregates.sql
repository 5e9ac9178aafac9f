with t as (
  select * from (values (1, 'x', true), (1, 'y', false), (2, 'z', false)) as v(k, s, flag)
)
select
  k,
  arbitrary(s) is not null as has_any,
  bool_or(flag) as any_flag,
  string_agg(s, ', ' order by s desc) as listed
from t
group by k
