INSERT INTO "lake"."marts"."v1.2"."orders" ("id", "order.total")
SELECT "id", "order.total" FROM (
select id, "order.total", ts from {{src}}
) AS DBT_INTERNAL_SOURCE;
