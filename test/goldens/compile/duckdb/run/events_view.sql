begin transaction;

create or replace view "analytics"."events_view" as (

select event_id, region, value from "analytics"."base_events"
);

commit;
