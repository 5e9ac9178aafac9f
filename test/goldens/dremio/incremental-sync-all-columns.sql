DROP TABLE IF EXISTS "lake"."marts"."v1.2"."orders__cairn_tmp";

CREATE TABLE "lake"."marts"."v1.2"."orders__cairn_tmp" AS (
select id, "order.total", ts from {{src}}
);

ALTER TABLE "lake"."marts"."v1.2"."orders" ADD COLUMNS ("ts" TIMESTAMP);

ALTER TABLE "lake"."marts"."v1.2"."orders" DROP COLUMN "old_col";

ALTER TABLE "lake"."marts"."v1.2"."orders" ALTER COLUMN "order.total" "order.total" DECIMAL(14,2);

MERGE INTO "lake"."marts"."v1.2"."orders" AS DBT_INTERNAL_DEST
USING "lake"."marts"."v1.2"."orders__cairn_tmp" AS DBT_INTERNAL_SOURCE
ON (DBT_INTERNAL_SOURCE."id" = DBT_INTERNAL_DEST."id")
WHEN MATCHED THEN UPDATE SET
    "order.total" = DBT_INTERNAL_SOURCE."order.total",
    "ts" = DBT_INTERNAL_SOURCE."ts"
WHEN NOT MATCHED THEN INSERT ("id", "order.total", "ts")
    VALUES (DBT_INTERNAL_SOURCE."id", DBT_INTERNAL_SOURCE."order.total", DBT_INTERNAL_SOURCE."ts");

DROP TABLE IF EXISTS "lake"."marts"."v1.2"."orders__cairn_tmp";
