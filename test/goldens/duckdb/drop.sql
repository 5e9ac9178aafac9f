drop table if exists "main"."orders";

drop view if exists "main"."orders";
