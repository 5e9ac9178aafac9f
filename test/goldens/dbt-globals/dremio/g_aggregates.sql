with t as (
  select * from (values (1, 'x', true), (1, 'y', false), (2, 'z', false)) as v(k, s, flag)
)
select
  k,
  MIN(s) is not null as has_any,
  bool_or(flag) as any_flag,
  LISTAGG(s, ', ') WITHIN GROUP (order by s desc) as listed
from t
group by k
