begin transaction;

drop table if exists "main"."orders";

create or replace view "main"."orders" as (
select id, "order.total", ts from {{src}}
);

commit;
