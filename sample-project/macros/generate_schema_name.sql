{#- The sample's layers are schemas of their own: `bronze`, `silver`, `gold`, as a folder's `+schema`
    says, instead of dbt's default `<target schema>_<custom>` (main_bronze). Models without a custom
    schema stay in the target's schema. This is the override dbt's docs show for exactly this. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
