{#- Forward-looking label from events in (T, T + horizon], with the maturity rule of docs/semantics.md §5:
    an example whose horizon is not fully observed by as_of is excluded (or flagged), never
    silently labelled negative. Arguments and examples: docs/macros.md. -#}

{% macro label_window(spine, entity_keys, cutoff, source, horizon, label='label', event_ts='event_ts',
                      known_at=none, keys=none, where=none, value=none, maturity='exclude',
                      as_of='var:as_of', empty=0) %}
    {%- if maturity not in ('exclude', 'flag') -%}
        {%- do sqltrain._fail('label_window', "maturity='" ~ maturity ~ "' is not allowed; use 'exclude' (drop immature rows) or 'flag' (keep them with is_mature = false)") -%}
    {%- endif -%}
    {%- do sqltrain._parse_interval(horizon, 'label_window horizon') -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set as_of = sqltrain._as_of_arg(as_of) -%}
    {%- set implementation = sqltrain._or_portable(adapter.dispatch('label_window', 'sqltrain')) -%}
    {{ return(implementation(spine, sqltrain._as_list(entity_keys), cutoff, source,
        horizon, label, event_ts, known_at, keys, where, value, maturity, as_of, empty)) }}
{% endmacro %}


{#- True when the example's horizon is over by as_of; without as_of every example with a cutoff is. -#}
{% macro _is_mature_sql(cutoff_expr, horizon, as_of) -%}
    {%- if as_of is none -%}
        ({{ cutoff_expr }} is not null)
    {%- else -%}
        coalesce({{ cutoff_expr }} + {{ sqltrain.interval(horizon) }} <= {{ sqltrain.as_of_literal(as_of) }}, false)
    {%- endif -%}
{%- endmacro %}


{#- Portable, and what every adapter runs: DuckDB plans this range join as a hash join on the
    keys plus a filter, which is what a dedicated version would do (each event is read once per
    cutoff in its horizon). -#}
{% macro default__label_window(spine, entity_keys, cutoff, source, horizon, label, event_ts, known_at, keys,
                               where, value, maturity, as_of, empty) %}
    {%- set key_cols = sqltrain._source_keys(keys, entity_keys, 'label_window source ' ~ source) -%}
    {%- set n = entity_keys | length -%}
    {%- set mature = sqltrain._is_mature_sql('__sqltrain_spine.' ~ cutoff, horizon, as_of) -%}
    {%- set empty_sql = 'null' if empty is none else empty -%}
with __sqltrain_pairs as (
    {{ sqltrain._spine_pairs(spine, entity_keys, cutoff, sqltrain._is_mature_sql(cutoff, horizon, as_of)) }}
)
, __sqltrain_src as (
    {#- value and where are written over the source's own columns: keep them all. A label's
        known_at bounds only what as_of may read: the horizon is in event time. -#}
    select {{ sqltrain._select_keys(key_cols) }}, {{ event_ts }} as __sqltrain_ev, __sqltrain_source.*
    from {{ source }} as __sqltrain_source
    where {{ sqltrain._source_filter(key_cols, event_ts, known_at if as_of is not none else none, where, as_of) }}
)
, __sqltrain_labels as (
    select {{ sqltrain._key_list(n, 'p') }}, p.__sqltrain_t, count(*) as __sqltrain_n
        {%- if value is not none %}, {{ value }} as __sqltrain_value{% endif %}
    from __sqltrain_pairs as p
    inner join __sqltrain_src as s
        on {{ sqltrain._keys_equal(n, 'p', 's') }}
        and s.__sqltrain_ev > p.__sqltrain_t
        and s.__sqltrain_ev <= p.__sqltrain_t + {{ sqltrain.interval(horizon) }}
    group by {{ sqltrain._key_list(n, 'p') }}, p.__sqltrain_t
)
select __sqltrain_spine.*,
    case when {{ mature }} then
        case when __sqltrain_l.__sqltrain_n > 0
            then {{ 'cast(1 as integer)' if value is none else '__sqltrain_l.__sqltrain_value' }}
            else {{ 'cast(' ~ empty_sql ~ ' as integer)' if value is none else empty_sql }} end
    end as {{ label }}
    {%- if maturity == 'flag' %},
    {{ mature }} as is_mature
    {%- endif %}
from {{ spine }} as __sqltrain_spine
{{ sqltrain._join_pairs('__sqltrain_labels', '__sqltrain_l', entity_keys, cutoff) }}
{%- if maturity == 'exclude' %}
where {{ mature }}
{%- endif %}
{% endmacro %}
