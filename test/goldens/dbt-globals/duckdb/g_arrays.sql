select
  array[1, 2] as arr,
  array_append(array[1, 2], 3) as appended,
  array_cat(array[1], array[2, 3]) as concatenated
