{#- Type names, through api.Column.translate_type as dbt does: TEXT on DuckDB, VARCHAR on Dremio. -#}
{% macro type_string() -%}{{ adapter.dispatch('type_string', 'dbt')() }}{%- endmacro %}
{% macro default__type_string() -%}{{ api.Column.translate_type('string') }}{%- endmacro %}

{% macro type_timestamp() -%}{{ adapter.dispatch('type_timestamp', 'dbt')() }}{%- endmacro %}
{% macro default__type_timestamp() -%}{{ api.Column.translate_type('timestamp') }}{%- endmacro %}

{% macro type_float() -%}{{ adapter.dispatch('type_float', 'dbt')() }}{%- endmacro %}
{% macro default__type_float() -%}{{ api.Column.translate_type('float') }}{%- endmacro %}

{% macro type_numeric() -%}{{ adapter.dispatch('type_numeric', 'dbt')() }}{%- endmacro %}
{% macro default__type_numeric() -%}{{ api.Column.numeric_type('numeric', 28, 6) }}{%- endmacro %}
{#- Dremio's type is DECIMAL(p, s). -#}
{% macro dremio__type_numeric() -%}{{ api.Column.numeric_type('decimal', 28, 6) }}{%- endmacro %}

{% macro type_bigint() -%}{{ adapter.dispatch('type_bigint', 'dbt')() }}{%- endmacro %}
{% macro default__type_bigint() -%}{{ api.Column.translate_type('bigint') }}{%- endmacro %}

{% macro type_int() -%}{{ adapter.dispatch('type_int', 'dbt')() }}{%- endmacro %}
{% macro default__type_int() -%}{{ api.Column.translate_type('integer') }}{%- endmacro %}

{% macro type_boolean() -%}{{ adapter.dispatch('type_boolean', 'dbt')() }}{%- endmacro %}
{% macro default__type_boolean() -%}{{ api.Column.translate_type('boolean') }}{%- endmacro %}
