ALTER TABLE "lake"."snapshots"."orders_snap" ADD COLUMNS ("order.total" DECIMAL(12,2));

DROP TABLE IF EXISTS "lake"."snapshots"."orders_snap__cairn_snapshot_staging";

CREATE TABLE "lake"."snapshots"."orders_snap__cairn_snapshot_staging" AS (
WITH src AS (
select id, status, "order.total", updated_at from "lake"."raw"."orders"
),
snap AS (SELECT * FROM "lake"."snapshots"."orders_snap" WHERE "dbt_valid_to" IS NULL)
SELECT 'insert' AS dbt_change_type, src."id", src."status", src."order.total", src."updated_at",
    MD5(COALESCE(CAST(src."id" AS VARCHAR), '') || '|' || COALESCE(CAST(CAST(src."updated_at" AS TIMESTAMP) AS VARCHAR), '')) AS "dbt_scd_id", CAST(src."updated_at" AS TIMESTAMP) AS "dbt_updated_at", CAST(src."updated_at" AS TIMESTAMP) AS "dbt_valid_from", CAST(NULL AS TIMESTAMP) AS "dbt_valid_to"
  FROM src LEFT JOIN snap ON snap."id" = src."id"
  WHERE snap."id" IS NULL OR (snap."dbt_valid_from" < CAST(src."updated_at" AS TIMESTAMP))
UNION ALL
SELECT 'update' AS dbt_change_type, src."id", src."status", src."order.total", src."updated_at",
    snap."dbt_scd_id" AS "dbt_scd_id", CAST(src."updated_at" AS TIMESTAMP) AS "dbt_updated_at", CAST(src."updated_at" AS TIMESTAMP) AS "dbt_valid_from", CAST(src."updated_at" AS TIMESTAMP) AS "dbt_valid_to"
  FROM src JOIN snap ON snap."id" = src."id"
  WHERE snap."dbt_valid_from" < CAST(src."updated_at" AS TIMESTAMP)
UNION ALL
SELECT 'delete' AS dbt_change_type, snap."id", snap."status", snap."order.total", snap."updated_at",
    snap."dbt_scd_id" AS "dbt_scd_id", CAST(CURRENT_TIMESTAMP AS TIMESTAMP) AS "dbt_updated_at", CAST(CURRENT_TIMESTAMP AS TIMESTAMP) AS "dbt_valid_from", CAST(CURRENT_TIMESTAMP AS TIMESTAMP) AS "dbt_valid_to"
  FROM snap LEFT JOIN src ON snap."id" = src."id"
  WHERE src."id" IS NULL
);

MERGE INTO "lake"."snapshots"."orders_snap" AS DBT_INTERNAL_DEST
USING "lake"."snapshots"."orders_snap__cairn_snapshot_staging" AS DBT_INTERNAL_SOURCE
ON (DBT_INTERNAL_SOURCE."dbt_scd_id" = DBT_INTERNAL_DEST."dbt_scd_id"
    AND DBT_INTERNAL_SOURCE.dbt_change_type IN ('update', 'delete')
    AND DBT_INTERNAL_DEST."dbt_valid_to" IS NULL)
WHEN MATCHED THEN UPDATE SET
    "dbt_valid_to" = DBT_INTERNAL_SOURCE."dbt_valid_to"
WHEN NOT MATCHED THEN INSERT ("id", "status", "updated_at", "dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to", "order.total")
    VALUES (DBT_INTERNAL_SOURCE."id", DBT_INTERNAL_SOURCE."status", DBT_INTERNAL_SOURCE."updated_at", DBT_INTERNAL_SOURCE."dbt_scd_id", DBT_INTERNAL_SOURCE."dbt_updated_at", DBT_INTERNAL_SOURCE."dbt_valid_from", DBT_INTERNAL_SOURCE."dbt_valid_to", DBT_INTERNAL_SOURCE."order.total");

DROP TABLE IF EXISTS "lake"."snapshots"."orders_snap__cairn_snapshot_staging";
