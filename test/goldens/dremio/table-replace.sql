DROP TABLE IF EXISTS "lake"."marts"."v1.2"."orders__cairn_tmp";

CREATE TABLE "lake"."marts"."v1.2"."orders__cairn_tmp"
AS (
select id, "order.total", ts from {{src}}
);

DROP TABLE "lake"."marts"."v1.2"."orders";

CREATE TABLE "lake"."marts"."v1.2"."orders"
AS (
SELECT * FROM "lake"."marts"."v1.2"."orders__cairn_tmp"
);

DROP TABLE IF EXISTS "lake"."marts"."v1.2"."orders__cairn_tmp";
