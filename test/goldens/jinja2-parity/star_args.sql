select 'a, b, c, x=1, y=2' as described,
       'a, b, z=3' as direct,
       3 as spread,
       'x/dflt/None' as defaults,
       'x/dflt/3' as keyword