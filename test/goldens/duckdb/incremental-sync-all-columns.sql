begin transaction;

create or replace table "main"."orders__cairn_tmp" as (
select id, "order.total", ts from {{src}}
);

alter table "main"."orders" add column "ts" TIMESTAMP;

alter table "main"."orders" drop column "old_col";

alter table "main"."orders" alter column "order.total" type DECIMAL(14,2);

merge into "main"."orders" as DBT_INTERNAL_DEST
using "main"."orders__cairn_tmp" as DBT_INTERNAL_SOURCE
on (DBT_INTERNAL_SOURCE."id" = DBT_INTERNAL_DEST."id")
when matched then update set
    "order.total" = DBT_INTERNAL_SOURCE."order.total",
    "ts" = DBT_INTERNAL_SOURCE."ts"
when not matched then insert ("id", "order.total", "ts")
    values (DBT_INTERNAL_SOURCE."id", DBT_INTERNAL_SOURCE."order.total", DBT_INTERNAL_SOURCE."ts");

drop table if exists "main"."orders__cairn_tmp";

commit;
