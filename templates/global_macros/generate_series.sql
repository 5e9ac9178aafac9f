{#- Rows generated_number = 1 .. upper_bound. -#}
{% macro generate_series(upper_bound) -%}{{ adapter.dispatch('generate_series', 'dbt')(upper_bound) }}{%- endmacro %}

{#- Cross joins of a two-row table, one per bit: 4 bits per decimal digit of the bound always suffice. -#}
{% macro default__generate_series(upper_bound) -%}
  {%- set bits = (upper_bound | string | length) * 4 -%}
  select {% for i in range(bits) %}p{{ i }}.b * {{ 2 ** i }} + {% endfor %}1 as generated_number
  from {% for i in range(bits) %}(select 0 as b union all select 1 as b) as p{{ i }}{% if not loop.last %} cross join {% endif %}{% endfor %}
  where {% for i in range(bits) %}p{{ i }}.b * {{ 2 ** i }} + {% endfor %}1 <= {{ upper_bound }}
{%- endmacro %}

{% macro duckdb__generate_series(upper_bound) -%}
  select generate_series as generated_number from generate_series(1, {{ upper_bound }})
{%- endmacro %}
