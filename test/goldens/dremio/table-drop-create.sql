DROP TABLE "lake"."marts"."v1.2"."orders";

CREATE TABLE "lake"."marts"."v1.2"."orders"
AS (
select id, "order.total", ts from {{src}}
);
