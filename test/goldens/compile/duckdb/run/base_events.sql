begin transaction;

create or replace table "analytics"."base_events" as (

select * from (values
  (1, 'eu', timestamp '2024-01-01 10:00:00', 5),
  (2, 'us', timestamp '2024-01-01 11:00:00', 7),
  (3, 'eu', timestamp '2024-01-02 09:00:00', 1)
) as t(event_id, region, event_ts, value)
);

commit;
