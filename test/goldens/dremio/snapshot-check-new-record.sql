ALTER TABLE "lake"."snapshots"."orders_snap" ADD COLUMNS ("order.total" DECIMAL(12,2), "dbt_is_deleted" VARCHAR);

DROP TABLE IF EXISTS "lake"."snapshots"."orders_snap__cairn_snapshot_staging";

CREATE TABLE "lake"."snapshots"."orders_snap__cairn_snapshot_staging" AS (
WITH src AS (
select id, status, "order.total", updated_at from "lake"."raw"."orders"
),
snap AS (SELECT * FROM "lake"."snapshots"."orders_snap" WHERE "dbt_valid_to" IS NULL)
SELECT 'insert' AS dbt_change_type, src."id", src."status", src."order.total", src."updated_at",
    MD5(COALESCE(CAST(src."id" AS VARCHAR), '') || '|' || COALESCE(CAST(src."status" AS VARCHAR), '') || '|' || COALESCE(CAST(CAST(CURRENT_TIMESTAMP AS TIMESTAMP) AS VARCHAR), '')) AS "dbt_scd_id", CAST(CURRENT_TIMESTAMP AS TIMESTAMP) AS "dbt_updated_at", CAST(CURRENT_TIMESTAMP AS TIMESTAMP) AS "dbt_valid_from", CAST(NULL AS TIMESTAMP) AS "dbt_valid_to", 'False' AS "dbt_is_deleted"
  FROM src LEFT JOIN snap ON snap."id" = src."id" AND snap."status" = src."status"
  WHERE snap."id" IS NULL OR (((snap."order.total" <> src."order.total" OR (snap."order.total" IS NULL AND src."order.total" IS NOT NULL) OR (snap."order.total" IS NOT NULL AND src."order.total" IS NULL)))
    OR COALESCE(snap."dbt_is_deleted", 'False') = 'True')
UNION ALL
SELECT 'update' AS dbt_change_type, src."id", src."status", src."order.total", src."updated_at",
    snap."dbt_scd_id" AS "dbt_scd_id", CAST(CURRENT_TIMESTAMP AS TIMESTAMP) AS "dbt_updated_at", CAST(CURRENT_TIMESTAMP AS TIMESTAMP) AS "dbt_valid_from", CAST(CURRENT_TIMESTAMP AS TIMESTAMP) AS "dbt_valid_to", 'False' AS "dbt_is_deleted"
  FROM src JOIN snap ON snap."id" = src."id" AND snap."status" = src."status"
  WHERE ((snap."order.total" <> src."order.total" OR (snap."order.total" IS NULL AND src."order.total" IS NOT NULL) OR (snap."order.total" IS NOT NULL AND src."order.total" IS NULL)))
    OR COALESCE(snap."dbt_is_deleted", 'False') = 'True'
UNION ALL
SELECT 'delete' AS dbt_change_type, snap."id", snap."status", snap."order.total", snap."updated_at",
    snap."dbt_scd_id" AS "dbt_scd_id", CAST(CURRENT_TIMESTAMP AS TIMESTAMP) AS "dbt_updated_at", CAST(CURRENT_TIMESTAMP AS TIMESTAMP) AS "dbt_valid_from", CAST(CURRENT_TIMESTAMP AS TIMESTAMP) AS "dbt_valid_to", 'False' AS "dbt_is_deleted"
  FROM snap LEFT JOIN src ON snap."id" = src."id" AND snap."status" = src."status"
  WHERE src."id" IS NULL AND NOT COALESCE(snap."dbt_is_deleted", 'False') = 'True'
UNION ALL
SELECT 'insert' AS dbt_change_type, snap."id", snap."status", snap."order.total", snap."updated_at",
    MD5(COALESCE(CAST(snap."id" AS VARCHAR), '') || '|' || COALESCE(CAST(snap."status" AS VARCHAR), '') || '|' || COALESCE(CAST(CAST(CURRENT_TIMESTAMP AS TIMESTAMP) AS VARCHAR), '') || '|deleted') AS "dbt_scd_id", CAST(CURRENT_TIMESTAMP AS TIMESTAMP) AS "dbt_updated_at", CAST(CURRENT_TIMESTAMP AS TIMESTAMP) AS "dbt_valid_from", CAST(NULL AS TIMESTAMP) AS "dbt_valid_to", 'True' AS "dbt_is_deleted"
  FROM snap LEFT JOIN src ON snap."id" = src."id" AND snap."status" = src."status"
  WHERE src."id" IS NULL AND NOT COALESCE(snap."dbt_is_deleted", 'False') = 'True'
);

MERGE INTO "lake"."snapshots"."orders_snap" AS DBT_INTERNAL_DEST
USING "lake"."snapshots"."orders_snap__cairn_snapshot_staging" AS DBT_INTERNAL_SOURCE
ON (DBT_INTERNAL_SOURCE."dbt_scd_id" = DBT_INTERNAL_DEST."dbt_scd_id"
    AND DBT_INTERNAL_SOURCE.dbt_change_type IN ('update', 'delete')
    AND DBT_INTERNAL_DEST."dbt_valid_to" IS NULL)
WHEN MATCHED THEN UPDATE SET
    "dbt_valid_to" = DBT_INTERNAL_SOURCE."dbt_valid_to",
    "dbt_is_deleted" = COALESCE(DBT_INTERNAL_DEST."dbt_is_deleted", 'False')
WHEN NOT MATCHED THEN INSERT ("id", "status", "updated_at", "dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to", "order.total", "dbt_is_deleted")
    VALUES (DBT_INTERNAL_SOURCE."id", DBT_INTERNAL_SOURCE."status", DBT_INTERNAL_SOURCE."updated_at", DBT_INTERNAL_SOURCE."dbt_scd_id", DBT_INTERNAL_SOURCE."dbt_updated_at", DBT_INTERNAL_SOURCE."dbt_valid_from", DBT_INTERNAL_SOURCE."dbt_valid_to", DBT_INTERNAL_SOURCE."order.total", DBT_INTERNAL_SOURCE."dbt_is_deleted");

DROP TABLE IF EXISTS "lake"."snapshots"."orders_snap__cairn_snapshot_staging";
