begin transaction;

create or replace table "main"."orders__cairn_tmp" as (
select id, "order.total", ts from {{src}}
);

insert into "main"."orders" ("id", "order.total")
select "id", "order.total" from "main"."orders__cairn_tmp";

drop table if exists "main"."orders__cairn_tmp";

commit;
