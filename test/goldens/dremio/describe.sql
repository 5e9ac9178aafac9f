SELECT * FROM (
select id, "order.total", ts from {{src}}
) AS __cairn_describe LIMIT 0;
