
select event_id, value * 2 as doubled from "analytics"."base_events"
