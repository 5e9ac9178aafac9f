select
  '"main"."g_types"' as builtin_ref,
  '"db"."sch"."tbl"' as created_relation,
  'tbl' as created_identifier,
  '87f29599d06dad63eb067d9f1f7fb775' as md5_text,
  'hello bob' as project_macro,
  '2024/02/29' as py_date,
  'orders-2024' as py_re,
  '4' as py_product,
  'model' as graph_type,
  'globals.g_types' as graph_fqn,
  'table' as graph_materialized,
  '0' as graph_sources,
  8 as graph_node_count
