DROP TABLE IF EXISTS "lake"."marts"."v1.2"."orders__cairn_tmp";

CREATE TABLE "lake"."marts"."v1.2"."orders__cairn_tmp" AS (
select id, "order.total", ts from {{src}}
);

MERGE INTO "lake"."marts"."v1.2"."orders" AS DBT_INTERNAL_DEST
USING "lake"."marts"."v1.2"."orders__cairn_tmp" AS DBT_INTERNAL_SOURCE
ON (DBT_INTERNAL_SOURCE."id" = DBT_INTERNAL_DEST."id")
WHEN MATCHED THEN UPDATE SET
    "order.total" = DBT_INTERNAL_SOURCE."order.total"
WHEN NOT MATCHED THEN INSERT ("id", "order.total", "ts")
    VALUES (DBT_INTERNAL_SOURCE."id", DBT_INTERNAL_SOURCE."order.total", DBT_INTERNAL_SOURCE."ts");

DROP TABLE IF EXISTS "lake"."marts"."v1.2"."orders__cairn_tmp";
