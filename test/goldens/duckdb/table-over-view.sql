begin transaction;

drop view if exists "main"."orders";

create or replace table "main"."orders" as (
select id, "order.total", ts from {{src}}
);

commit;
