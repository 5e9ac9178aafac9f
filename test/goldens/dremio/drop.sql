DROP TABLE IF EXISTS "lake"."marts"."v1.2"."orders";

DROP VIEW IF EXISTS "lake"."marts"."v1.2"."orders";
