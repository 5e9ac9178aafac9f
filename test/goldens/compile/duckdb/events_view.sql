
select event_id, region, value from "analytics"."base_events"
