{% macro current_timestamp() -%}{{ adapter.dispatch('current_timestamp', 'dbt')() }}{%- endmacro %}
{% macro default__current_timestamp() -%}current_timestamp{%- endmacro %}
{% macro duckdb__current_timestamp() -%}now(){%- endmacro %}
{% macro dremio__current_timestamp() -%}CURRENT_TIMESTAMP{%- endmacro %}

{#- dbt's deprecated forms that older packages (dbt_utils < 1.0, dbt_date) still call. -#}
{% macro current_timestamp_backcompat() -%}{{ adapter.dispatch('current_timestamp_backcompat', 'dbt')() }}{%- endmacro %}
{% macro default__current_timestamp_backcompat() -%}cast(current_timestamp as timestamp){%- endmacro %}

{% macro current_timestamp_in_utc_backcompat() -%}{{ adapter.dispatch('current_timestamp_in_utc_backcompat', 'dbt')() }}{%- endmacro %}
{% macro default__current_timestamp_in_utc_backcompat() -%}{{ adapter.dispatch('current_timestamp_backcompat', 'dbt')() }}{%- endmacro %}
{#- DuckDB's current_timestamp is in the session's time zone. -#}
{% macro duckdb__current_timestamp_in_utc_backcompat() -%}cast(now() at time zone 'UTC' as timestamp){%- endmacro %}
