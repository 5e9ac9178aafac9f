DROP TABLE IF EXISTS "lake"."raw"."dbt_test__audit"."not_null_orders_id";

CREATE TABLE "lake"."raw"."dbt_test__audit"."not_null_orders_id" AS (
select * from "lake"."raw"."orders" where id is null
);
