select 'hello world' as greeting,
       'HELLO WORLD' as upper,
       'mixed' as stripped,
       '3' as parts,
       True as starts,
       True as ends,
       'a_b_c' as replaced,
       'stg_orders' as formatted,
       'x, y' as joined