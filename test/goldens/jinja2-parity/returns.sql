select 5 as first_positive,
       -1 as none_positive,
       2 as n_items,
       2 as second_item,
       '[1, 2]' as printed