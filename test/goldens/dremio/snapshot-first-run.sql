CREATE TABLE "lake"."snapshots"."orders_snap" AS (
SELECT src.*,
  MD5(COALESCE(CAST(src."id" AS VARCHAR), '') || '|' || COALESCE(CAST(CAST(src."updated_at" AS TIMESTAMP) AS VARCHAR), '')) AS "dbt_scd_id",
  CAST(src."updated_at" AS TIMESTAMP) AS "dbt_updated_at",
  CAST(src."updated_at" AS TIMESTAMP) AS "dbt_valid_from",
  CAST(NULL AS TIMESTAMP) AS "dbt_valid_to"
FROM (
select id, status, "order.total", updated_at from "lake"."raw"."orders"
) AS src
);
