CREATE BRANCH IF NOT EXISTS "cairn_swap_orders_0a1b2c3d" AT BRANCH "main" IN "nessie";

DROP TABLE "nessie"."marts"."v1.2"."orders" AT BRANCH "cairn_swap_orders_0a1b2c3d";

CREATE TABLE "nessie"."marts"."v1.2"."orders" AT BRANCH "cairn_swap_orders_0a1b2c3d"
PARTITION BY (month("ts"))
AS (
select id, "order.total", ts from {{src}}
);

MERGE BRANCH "cairn_swap_orders_0a1b2c3d" INTO "main" IN "nessie";

DROP BRANCH "cairn_swap_orders_0a1b2c3d" FORCE IN "nessie";
