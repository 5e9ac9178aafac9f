DROP TABLE IF EXISTS "lake"."marts"."v1.2"."orders__cairn_tmp";

CREATE TABLE "lake"."marts"."v1.2"."orders__cairn_tmp" AS (
select id, "order.total", ts from {{src}}
);

MERGE INTO "lake"."marts"."v1.2"."orders" AS DBT_INTERNAL_DEST
USING "lake"."marts"."v1.2"."orders__cairn_tmp" AS DBT_INTERNAL_SOURCE
ON (DBT_INTERNAL_SOURCE."id" = DBT_INTERNAL_DEST."id"
    AND (DBT_INTERNAL_DEST.ts > TIMESTAMP '2024-01-01 00:00:00'))
WHEN MATCHED THEN UPDATE SET
    "order.total" = DBT_INTERNAL_SOURCE."order.total"
WHEN NOT MATCHED THEN INSERT ("id", "order.total")
    VALUES (DBT_INTERNAL_SOURCE."id", DBT_INTERNAL_SOURCE."order.total");

DROP TABLE IF EXISTS "lake"."marts"."v1.2"."orders__cairn_tmp";
