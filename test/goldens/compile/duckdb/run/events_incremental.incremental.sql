begin transaction;

create or replace table "analytics"."events_incremental__cairn_tmp" as (

select
    event_id,
    region,
    event_ts,
    case when region = 'eu' then value else 0 end as eu_value,
    case when region = 'us' then value else 0 end as us_value
from "analytics"."base_events"
where event_ts > (select max(event_ts) from "analytics"."events_incremental")
);

merge into "analytics"."events_incremental" as DBT_INTERNAL_DEST
using "analytics"."events_incremental__cairn_tmp" as DBT_INTERNAL_SOURCE
on (DBT_INTERNAL_SOURCE."event_id" = DBT_INTERNAL_DEST."event_id")
when matched then update set
    "region" = DBT_INTERNAL_SOURCE."region",
    "event_ts" = DBT_INTERNAL_SOURCE."event_ts",
    "eu_value" = DBT_INTERNAL_SOURCE."eu_value",
    "us_value" = DBT_INTERNAL_SOURCE."us_value"
when not matched then insert ("event_id", "region", "event_ts", "eu_value", "us_value")
    values (DBT_INTERNAL_SOURCE."event_id", DBT_INTERNAL_SOURCE."region", DBT_INTERNAL_SOURCE."event_ts", DBT_INTERNAL_SOURCE."eu_value", DBT_INTERNAL_SOURCE."us_value");

drop table if exists "analytics"."events_incremental__cairn_tmp";

commit;
