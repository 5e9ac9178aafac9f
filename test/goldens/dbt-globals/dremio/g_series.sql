select p0.b * 1 + p1.b * 2 + p2.b * 4 + p3.b * 8 + 1 as generated_number
  from (select 0 as b union all select 1 as b) as p0 cross join (select 0 as b union all select 1 as b) as p1 cross join (select 0 as b union all select 1 as b) as p2 cross join (select 0 as b union all select 1 as b) as p3
  where p0.b * 1 + p1.b * 2 + p2.b * 4 + p3.b * 8 + 1 <= 5
