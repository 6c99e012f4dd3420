{#- Interval strings ('30 days', '12 hours', '1 week', '3 months') are how every sqltrain macro
    takes a duration. They are parsed once here so that each adapter can spell the literal its
    own way (DuckDB `interval '30 days'`, ANSI `interval '30' day`). -#}

{% macro _parse_interval(text, arg_name='interval') %}
    {%- set units = {
        'second': 'second', 'seconds': 'second', 'sec': 'second', 'secs': 'second',
        'minute': 'minute', 'minutes': 'minute', 'min': 'minute', 'mins': 'minute',
        'hour': 'hour', 'hours': 'hour',
        'day': 'day', 'days': 'day',
        'week': 'week', 'weeks': 'week',
        'month': 'month', 'months': 'month',
        'year': 'year', 'years': 'year'} -%}
    {%- set parts = (text | string).strip().split() -%}
    {%- if parts | length != 2 or not parts[0].isdigit() or parts[1].lower() not in units -%}
        {%- do sqltrain._fail(arg_name, "'" ~ text ~ "' is not an interval; write it like '30 days', '12 hours', '1 week' or '3 months'") -%}
    {%- endif -%}
    {{ return({'n': parts[0] | int, 'unit': units[parts[1].lower()]}) }}
{% endmacro %}


{#- Public: the SQL literal of an interval string, e.g. {{ sqltrain.interval('30 days') }}. -#}
{% macro interval(text) %}
    {{ return(adapter.dispatch('interval', 'sqltrain')(text)) }}
{% endmacro %}

{% macro default__interval(text) %}
    {#- ANSI has no WEEK field: weeks become days. -#}
    {%- set iv = sqltrain._parse_interval(text) -%}
    {%- if iv.unit == 'week' -%}
        interval '{{ iv.n * 7 }}' day
    {%- else -%}
        interval '{{ iv.n }}' {{ iv.unit }}
    {%- endif -%}
{% endmacro %}

{% macro duckdb__interval(text) %}
    {%- set iv = sqltrain._parse_interval(text) -%}
    interval '{{ iv.n }} {{ iv.unit }}s'
{% endmacro %}


{#- An interval's length in seconds: `seconds` is the longest it can be (months count 31 days,
    years 366), `min_seconds` the shortest (28 and 365), `exact` whether they agree. Used to pick
    the widest window and to check an embargo against a horizon at compile time. -#}
{% macro _interval_seconds(text) %}
    {%- set iv = sqltrain._parse_interval(text) -%}
    {%- set longest = {'second': 1, 'minute': 60, 'hour': 3600, 'day': 86400, 'week': 604800,
                       'month': 2678400, 'year': 31622400} -%}
    {%- set shortest = {'month': 2419200, 'year': 31536000} -%}
    {{ return({'seconds': iv.n * longest[iv.unit], 'min_seconds': iv.n * shortest.get(iv.unit, longest[iv.unit]),
               'exact': iv.unit not in ('month', 'year')}) }}
{% endmacro %}


{#- Column-name suffix of a window: '30 days' -> '30d', '12 hours' -> '12h', '3 months' -> '3mo'. -#}
{% macro _interval_suffix(text) %}
    {%- set iv = sqltrain._parse_interval(text) -%}
    {%- set short = {'second': 's', 'minute': 'min', 'hour': 'h', 'day': 'd', 'week': 'w',
                     'month': 'mo', 'year': 'y'} -%}
    {{ return(iv.n ~ short[iv.unit]) }}
{% endmacro %}
