select
  ARRAY[1, 2] as arr,
  array_append(ARRAY[1, 2], 3) as appended,
  ARRAY_CONCAT(ARRAY[1], ARRAY[2, 3]) as concatenated
