select
  'a' || '-' || 'b' as joined,
  md5(cast('cairn' as TEXT)) as hashed,
  string_split('a,b,c', ',')[2] as second_part,
  'it' as lit,
  'they''re' as escaped,
  position('c' in 'abcd') as pos,
  replace('aXbX', 'X', '-') as replaced,
  right('abcdef', 3) as last3,
  length('abcdef') as len,
  cast(true as TEXT) as bool_text,
  try_cast('12' as integer) as safe_ok,
  cast('7' as bigint) as casted,
  ('a' = 'a') as same
