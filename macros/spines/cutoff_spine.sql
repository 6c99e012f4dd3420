{#- Entities x cutoffs: one row per (entity, cutoff) for every day/week/month from start to end
    (default: var('as_of')), keeping an entity at cutoff T only while one of its rows is valid
    at T. Arguments and examples: docs/macros.md. -#}

{% macro cutoff_spine(entities, entity_keys, start, every='month', end='var:as_of', cutoff='as_of_ts',
                      valid_from=none, valid_to=none, known_at=none) %}
    {%- if every not in ('day', 'week', 'month') -%}
        {%- do sqltrain._fail('cutoff_spine', "every='" ~ every ~ "' is not allowed; use 'day', 'week' or 'month'") -%}
    {%- endif -%}
    {%- if end is none -%}
        {%- do sqltrain._fail('cutoff_spine', "needs an end: pass end='YYYY-MM-DD' or set var('as_of')") -%}
    {%- endif -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set end = sqltrain._as_of_arg(end) -%}
    {%- if end is none -%}
        {%- do sqltrain._fail('cutoff_spine', "needs an end: pass end='YYYY-MM-DD' or set var('as_of')") -%}
    {%- endif -%}
    {%- set implementation = sqltrain._or_portable(adapter.dispatch('cutoff_spine', 'sqltrain')) -%}
    {{ return(implementation(entities, sqltrain._as_list(entity_keys), start, every, end,
        cutoff, valid_from, valid_to, known_at)) }}
{% endmacro %}


{#- The cutoff instants, computed at compile time: start truncated to its period (weeks start on
    Monday), then every period up to end inclusive, at midnight UTC. -#}
{% macro _cutoff_dates(start, every, end) %}
    {%- set dt = modules.datetime -%}
    {%- set first = dt.datetime.strptime(sqltrain._as_of_text(start)[:10], '%Y-%m-%d') -%}
    {%- set last = dt.datetime.strptime(sqltrain._as_of_text(end), '%Y-%m-%d %H:%M:%S.%f') -%}
    {%- set out = [] -%}
    {%- if every == 'day' -%}
        {%- for i in range((last - first).days + 1) -%}
            {%- do out.append(first + dt.timedelta(days=i)) -%}
        {%- endfor -%}
    {%- elif every == 'week' -%}
        {%- set monday = first - dt.timedelta(days=first.weekday()) -%}
        {%- for i in range(((last - monday).days // 7) + 1) -%}
            {%- do out.append(monday + dt.timedelta(days=7 * i)) -%}
        {%- endfor -%}
    {%- else -%}
        {%- for i in range((last.year - first.year) * 12 + last.month - first.month + 1) -%}
            {%- set m = first.month - 1 + i -%}
            {%- do out.append(dt.datetime(first.year + m // 12, m % 12 + 1, 1)) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(out | select('le', last) | list) }}
{% endmacro %}


{% macro _cutoff_spine_select(entities, entity_keys, cutoff, valid_from, valid_to, known_at, cutoffs_cte) -%}
    {#- Overlapping validity rows of one entity give one row per cutoff (select distinct);
        rows with a NULL key are dropped: an example needs an entity. -#}
    select distinct {% for k in entity_keys %}__sqltrain_e.{{ k }}, {% endfor %}__sqltrain_c.__sqltrain_t as {{ cutoff }}
    from {{ entities }} as __sqltrain_e
    cross join {{ cutoffs_cte }} as __sqltrain_c
    where {{ sqltrain._not_null(entity_keys, '__sqltrain_e') }}
    {%- if valid_from %}
        and __sqltrain_e.{{ valid_from }} <= __sqltrain_c.__sqltrain_t
    {%- endif %}
    {%- if valid_to %}
        and (__sqltrain_e.{{ valid_to }} is null or __sqltrain_c.__sqltrain_t < __sqltrain_e.{{ valid_to }})
    {%- endif %}
    {%- if known_at %}
        and __sqltrain_e.{{ known_at }} <= __sqltrain_c.__sqltrain_t
    {%- endif %}
{%- endmacro %}


{#- Portable: the cutoffs are literal rows generated at compile time. -#}
{% macro default__cutoff_spine(entities, entity_keys, start, every, end, cutoff, valid_from, valid_to, known_at) %}
    {%- set dates = sqltrain._cutoff_dates(start, every, end) -%}
with __sqltrain_cutoffs as (
    {%- for d in dates %}
    select cast('{{ d.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as __sqltrain_t{{ ' union all' if not loop.last }}
    {%- else %}
    select cast(null as timestamp) as __sqltrain_t where 1 = 0
    {%- endfor %}
)
{{ sqltrain._cutoff_spine_select(entities, entity_keys, cutoff, valid_from, valid_to, known_at, '__sqltrain_cutoffs') }}
{% endmacro %}


{#- DuckDB: generate_series keeps the compiled SQL short for long daily spines. -#}
{% macro duckdb__cutoff_spine(entities, entity_keys, start, every, end, cutoff, valid_from, valid_to, known_at) %}
    {%- set dates = sqltrain._cutoff_dates(start, every, end) -%}
with __sqltrain_cutoffs as (
    {%- if dates %}
    select unnest(generate_series(
        timestamp '{{ dates[0].strftime("%Y-%m-%d %H:%M:%S") }}',
        timestamp '{{ dates[-1].strftime("%Y-%m-%d %H:%M:%S") }}',
        interval '1 {{ every }}')) as __sqltrain_t
    {%- else %}
    select cast(null as timestamp) as __sqltrain_t where 1 = 0
    {%- endif %}
)
{{ sqltrain._cutoff_spine_select(entities, entity_keys, cutoff, valid_from, valid_to, known_at, '__sqltrain_cutoffs') }}
{% endmacro %}
