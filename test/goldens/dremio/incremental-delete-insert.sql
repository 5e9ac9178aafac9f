DROP TABLE IF EXISTS "lake"."marts"."v1.2"."orders__cairn_tmp";

CREATE TABLE "lake"."marts"."v1.2"."orders__cairn_tmp" AS (
select id, "order.total", ts from {{src}}
);

DELETE FROM "lake"."marts"."v1.2"."orders" AS DBT_INTERNAL_DEST
WHERE EXISTS (SELECT 1 FROM "lake"."marts"."v1.2"."orders__cairn_tmp" AS DBT_INTERNAL_SOURCE WHERE DBT_INTERNAL_SOURCE."id" = DBT_INTERNAL_DEST."id")
    AND (DBT_INTERNAL_DEST.ts >= TIMESTAMP '2024-01-02 00:00:00');

INSERT INTO "lake"."marts"."v1.2"."orders" ("id", "order.total")
SELECT "id", "order.total" FROM "lake"."marts"."v1.2"."orders__cairn_tmp";

DROP TABLE IF EXISTS "lake"."marts"."v1.2"."orders__cairn_tmp";
