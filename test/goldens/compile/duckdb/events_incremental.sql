
select
    event_id,
    region,
    event_ts,
    case when region = 'eu' then value else 0 end as eu_value,
    case when region = 'us' then value else 0 end as us_value
from "analytics"."base_events"

