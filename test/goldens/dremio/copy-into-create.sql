CREATE TABLE "lake"."marts"."v1.2"."orders" ("id" INTEGER, "order.total" DECIMAL(12,2), "ts" TIMESTAMP);

COPY INTO "lake"."marts"."v1.2"."orders"
FROM '@lake/orders/2024-01-02/'
FILE_FORMAT 'csv'
(ON_ERROR 'skip_file', FIELD_DELIMITER ';', NULL_IF ('NA', ''));
