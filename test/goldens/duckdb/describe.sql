select * from (
select id, "order.total", ts from {{src}}
) as __cairn_describe limit 0;
