select 2 as b, 0 as missing, 'None' as missing_none,
       'b,c' as keys, 5 as total, 1 as popped,
       0 as empty_list_false, 'fallback' as or_value