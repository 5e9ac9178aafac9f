CREATE TABLE "lake"."marts"."v1.2"."orders"
PARTITION BY (month("ts"), "id")
DISTRIBUTE BY ("id")
LOCALSORT BY ("id")
WITH SINGLE WRITER
AS (
select id, "order.total", ts from {{src}}
);
