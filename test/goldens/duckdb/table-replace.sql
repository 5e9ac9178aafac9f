begin transaction;

create or replace table "main"."orders" as (
select id, "order.total", ts from {{src}}
);

commit;
