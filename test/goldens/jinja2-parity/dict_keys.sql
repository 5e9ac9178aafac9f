select cast(null as int) as id, cast(null as text) as name,
       '{"LABEL": 1}' as keys_json,
       'text' as name_type