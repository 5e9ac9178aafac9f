{#- dateadd / datediff / date_trunc / last_day / date. `datepart` is a bare word: day, week, month, ... -#}
{% macro dateadd(datepart, interval, from_date_or_timestamp) -%}
  {{ adapter.dispatch('dateadd', 'dbt')(datepart, interval, from_date_or_timestamp) }}
{%- endmacro %}

{% macro default__dateadd(datepart, interval, from_date_or_timestamp) -%}
  dateadd({{ datepart }}, {{ interval }}, {{ from_date_or_timestamp }})
{%- endmacro %}

{#- DuckDB: an interval times the count, so the count may be an expression; no quarter interval. -#}
{% macro duckdb__dateadd(datepart, interval, from_date_or_timestamp) -%}
  {%- set unit = datepart | lower -%}
  {%- if unit == 'quarter' -%}
    ({{ from_date_or_timestamp }} + cast({{ interval }} as bigint) * 3 * interval 1 month)
  {%- elif unit == 'week' -%}
    ({{ from_date_or_timestamp }} + cast({{ interval }} as bigint) * 7 * interval 1 day)
  {%- else -%}
    ({{ from_date_or_timestamp }} + cast({{ interval }} as bigint) * interval 1 {{ unit }})
  {%- endif -%}
{%- endmacro %}

{#- Dremio: TIMESTAMPADD(unit, count, timestamp) (docs.dremio.com, TIMESTAMPADD). -#}
{% macro dremio__dateadd(datepart, interval, from_date_or_timestamp) -%}
  TIMESTAMPADD({{ datepart | upper }}, CAST({{ interval }} AS INTEGER), CAST({{ from_date_or_timestamp }} AS TIMESTAMP))
{%- endmacro %}

{#- The number of `datepart` boundaries crossed from first_date to second_date. -#}
{% macro datediff(first_date, second_date, datepart) -%}
  {{ adapter.dispatch('datediff', 'dbt')(first_date, second_date, datepart) }}
{%- endmacro %}

{% macro default__datediff(first_date, second_date, datepart) -%}
  datediff({{ datepart }}, {{ first_date }}, {{ second_date }})
{%- endmacro %}

{% macro duckdb__datediff(first_date, second_date, datepart) -%}
  date_diff('{{ datepart | lower }}', cast({{ first_date }} as timestamp), cast({{ second_date }} as timestamp))
{%- endmacro %}

{#- Dremio's TIMESTAMPDIFF counts whole units elapsed; truncating both ends first counts boundaries. -#}
{% macro dremio__datediff(first_date, second_date, datepart) -%}
  TIMESTAMPDIFF({{ datepart | upper }}, DATE_TRUNC('{{ datepart | upper }}', CAST({{ first_date }} AS TIMESTAMP)), DATE_TRUNC('{{ datepart | upper }}', CAST({{ second_date }} AS TIMESTAMP)))
{%- endmacro %}

{% macro date_trunc(datepart, date) -%}
  {{ adapter.dispatch('date_trunc', 'dbt')(datepart, date) }}
{%- endmacro %}

{% macro default__date_trunc(datepart, date) -%}
  date_trunc('{{ datepart }}', {{ date }})
{%- endmacro %}

{#- The last day of the `datepart` (month, quarter, year) holding `date`, as a date. -#}
{% macro last_day(date, datepart) -%}
  {{ adapter.dispatch('last_day', 'dbt')(date, datepart) }}
{%- endmacro %}

{% macro default__last_day(date, datepart) -%}
  cast({{ dbt.dateadd('day', '-1', dbt.dateadd(datepart, '1', dbt.date_trunc(datepart, date))) }} as date)
{%- endmacro %}

{#- A date literal from its parts. -#}
{% macro date(year, month, day) -%}
  {{ adapter.dispatch('date', 'dbt')(year, month, day) }}
{%- endmacro %}

{% macro default__date(year, month, day) -%}
  to_date('{{ modules.datetime.date(year, month, day).strftime('%Y-%m-%d') }}', 'YYYY-MM-DD')
{%- endmacro %}

{% macro duckdb__date(year, month, day) -%}
  make_date({{ year }}, {{ month }}, {{ day }})
{%- endmacro %}
