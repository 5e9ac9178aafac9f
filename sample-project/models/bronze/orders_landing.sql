{# Dremio only: the daily CSV drops under the `samples` storage location (data/orders/<day>/),
   loaded by COPY INTO. Reloaded in full each run so a rerun never duplicates rows. On DuckDB
   orders_raw reads the files directly. #}
{{ config(
    materialized='copy_into',
    enabled=(target.type == 'dremio'),
    from='@samples/orders/',
    file_format='csv',
    truncate=true,
    columns={'order_id': 'INTEGER', 'customer_id': 'INTEGER', 'amount': 'DECIMAL(12,2)',
             'status': 'VARCHAR', 'order_timestamp': 'TIMESTAMP'}
) }}
