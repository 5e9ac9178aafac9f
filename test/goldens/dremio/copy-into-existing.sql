COPY INTO "lake"."marts"."v1.2"."orders"
FROM '@lake/orders/2024-01-02/'
FILE_FORMAT 'parquet'
(ON_ERROR 'abort');
