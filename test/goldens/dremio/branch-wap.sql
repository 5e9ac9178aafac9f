CREATE BRANCH IF NOT EXISTS "cairn_run_0d1e" AT BRANCH "dev" IN "nes""sie";

MERGE BRANCH "cairn_run_0d1e" INTO "dev" IN "nes""sie";

DROP BRANCH "cairn_run_0d1e" FORCE IN "nes""sie";
