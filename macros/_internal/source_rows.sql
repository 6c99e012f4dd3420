{#- The rows of an event source that may be visible at some cutoff, shared by point_in_time_join
    and window_aggregates: entity keys renamed __sqltrain_k0.., the event time __sqltrain_ev, the
    knowledge time __sqltrain_kn (NULL without known_at), then each [expression, alias] of
    `carried`. -#}
{% macro _source_rows(relation, key_cols, event_ts, known_at, as_of, carried, where=none) -%}
    select {{ sqltrain._select_keys(key_cols) }},
        {{ event_ts }} as __sqltrain_ev,
        {{ known_at if known_at else 'cast(null as timestamp)' }} as __sqltrain_kn
        {%- for c in carried %}, {{ c[0] }} as {{ c[1] }}{% endfor %}
    from {{ relation }}
    where {{ sqltrain._source_filter(key_cols, event_ts, known_at, where, as_of) }}
{%- endmacro %}


{#- The one source-row filter of the package: keys and event time present, a known_at present when
    one is given, the caller's `where`, and nothing that happened or landed after as_of
    (as_of=none reads everything). -#}
{% macro _source_filter(key_cols, event_ts, known_at, where, as_of) -%}
    {{ sqltrain._not_null(key_cols) }} and {{ event_ts }} is not null
    {%- if known_at %} and {{ known_at }} is not null{% endif %}
    {%- if where %} and ({{ where }}){% endif %}
    {%- if as_of is not none %}
        and {{ event_ts }} <= {{ sqltrain.as_of_literal(as_of) }}
        {%- if known_at %} and {{ known_at }} <= {{ sqltrain.as_of_literal(as_of) }}{% endif %}
    {%- endif %}
{%- endmacro %}
