{# The YYYY-MM-DD folder a raw file was delivered in. #}
{% macro file_day(column) -%}
regexp_extract({{ column }}, '(\d{4}-\d{2}-\d{2})[/\\][^/\\]*$', 1)
{%- endmacro %}
