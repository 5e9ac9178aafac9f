begin transaction;

create or replace table "main"."orders__cairn_tmp" as (
select id, "order.total", ts from {{src}}
);

delete from "main"."orders" as DBT_INTERNAL_DEST
where exists (select 1 from "main"."orders__cairn_tmp" as DBT_INTERNAL_SOURCE where DBT_INTERNAL_SOURCE."id" = DBT_INTERNAL_DEST."id")
    and (DBT_INTERNAL_DEST.ts >= TIMESTAMP '2024-01-02 00:00:00');

insert into "main"."orders" ("id", "order.total")
select "id", "order.total" from "main"."orders__cairn_tmp";

drop table if exists "main"."orders__cairn_tmp";

commit;
