select
  1 as a_1_0_2_2 /* first */,
  2 as b_2_1_1_2,
  'odd2;even1<p;odd0<q;' as cyc,
  'ab' as dict_keys,
  '13' as ctl,
  '2142' as filtered