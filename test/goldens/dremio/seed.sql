CREATE TABLE "lake"."marts"."v1.2"."orders" ("id" INTEGER, "name" VARCHAR, "day" DATE);

INSERT INTO "lake"."marts"."v1.2"."orders" ("id", "name", "day") VALUES
(1, 'name 0''s', CAST('2024-01-01' AS DATE)),
(2, 'name 1''s', NULL),
(3, 'name 2''s', CAST('2024-01-03' AS DATE));

INSERT INTO "lake"."marts"."v1.2"."orders" ("id", "name", "day") VALUES
(4, 'name 3''s', NULL),
(5, 'name 4''s', CAST('2024-01-05' AS DATE));
