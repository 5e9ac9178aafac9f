TRUNCATE TABLE "lake"."snapshots"."orders_snap";

INSERT INTO "lake"."snapshots"."orders_snap" ("id", "name") VALUES
(1, 'o''hara'),
(2, NULL);
