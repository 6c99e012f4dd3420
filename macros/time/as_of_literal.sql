{#- The as-of instant reaches models as var('as_of'): an ISO date ('2025-12-01') or timestamp
    ('2025-12-01T06:00:00', '...Z', '...+02:00'). It is normalised to a naive UTC timestamp at
    compile time, so every adapter compares TIMESTAMP columns with a TIMESTAMP literal. -#}

{% macro _as_of_text(as_of) %}
    {%- set raw = (as_of | string).strip() -%}
    {%- if raw | length == 10 -%}
        {%- set parsed = modules.datetime.datetime.strptime(raw, '%Y-%m-%d') -%}
    {%- else -%}
        {%- set iso = raw.replace('Z', '+00:00').replace(' ', 'T') -%}
        {%- set parsed = modules.datetime.datetime.fromisoformat(iso) -%}
        {%- if parsed.tzinfo is not none -%}
            {%- set parsed = parsed.astimezone(modules.pytz.utc).replace(tzinfo=none) -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(parsed.strftime('%Y-%m-%d %H:%M:%S.%f')) }}
{% endmacro %}


{#- Public: {{ sqltrain.as_of_literal(var('as_of')) }} -> cast('2025-12-01 00:00:00.000000' as timestamp). -#}
{% macro as_of_literal(as_of) %}
    {{ return(adapter.dispatch('as_of_literal', 'sqltrain')(as_of)) }}
{% endmacro %}

{% macro default__as_of_literal(as_of) -%}
    cast('{{ sqltrain._as_of_text(as_of) }}' as timestamp)
{%- endmacro %}
