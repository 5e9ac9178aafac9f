DROP TABLE IF EXISTS "lake"."snapshots"."orders_snap";

CREATE TABLE "lake"."snapshots"."orders_snap" ("id" INTEGER, "name" VARCHAR);

INSERT INTO "lake"."snapshots"."orders_snap" ("id", "name") VALUES
(1, 'o''hara'),
(2, NULL);
