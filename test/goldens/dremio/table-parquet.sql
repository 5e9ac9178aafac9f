CREATE TABLE "lake"."marts"."v1.2"."orders"
STORE AS (type => 'parquet')
AS (
select id, "order.total", ts from {{src}}
);
