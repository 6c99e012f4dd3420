{#- Windowed aggregates of an event source over (T - w, T] per entity, several windows and
    aggregates in one pass (DESIGN §3.4). Arguments and examples: docs/macros.md. -#}

{% macro window_aggregates(spine, entity_keys, cutoff, source, aggregates, windows, event_ts='event_ts',
                           known_at=none, keys=none, strict=false, prefix='', where=none, as_of=var('as_of', none)) %}
    {{ return(adapter.dispatch('window_aggregates', 'sqltrain')(spine, sqltrain._as_list(entity_keys), cutoff, source,
        aggregates, windows, event_ts, known_at, keys, strict, prefix, where, as_of)) }}
{% endmacro %}


{#- Normalises aggregates to [{agg, column, base, slot}] where slot indexes the distinct source
    columns read (__sqltrain_a0..), and checks each item. -#}
{% macro _agg_specs(aggregates) %}
    {%- set allowed = ['count', 'sum', 'avg', 'min', 'max', 'count_distinct'] -%}
    {%- set columns = [] -%}
    {%- set out = [] -%}
    {%- for a in ([aggregates] if aggregates is mapping else aggregates) -%}
        {%- if a is not mapping or a.get('agg') not in allowed -%}
            {{ exceptions.raise_compiler_error("sqltrain: window_aggregates aggregate #" ~ loop.index ~ " " ~ a ~ " needs 'agg' among " ~ allowed) }}
        {%- endif -%}
        {%- set column = a.get('column') or ('*' if a['agg'] == 'count' else none) -%}
        {%- if column is none or (column == '*' and a['agg'] != 'count') -%}
            {{ exceptions.raise_compiler_error("sqltrain: window_aggregates aggregate #" ~ loop.index ~ " (" ~ a['agg'] ~ ") needs a 'column'; only count takes '*'") }}
        {%- endif -%}
        {%- if column != '*' and column not in columns %}{% do columns.append(column) %}{% endif -%}
        {%- set base = a.get('name') or ('count' if column == '*' else a['agg'] ~ '_' ~ column) -%}
        {%- do out.append({'agg': a['agg'], 'column': column, 'base': base,
                           'slot': none if column == '*' else columns.index(column)}) -%}
    {%- endfor -%}
    {%- if out | length == 0 -%}
        {{ exceptions.raise_compiler_error("sqltrain: window_aggregates needs at least one aggregate") }}
    {%- endif -%}
    {{ return({'aggs': out, 'columns': columns}) }}
{% endmacro %}


{% macro _window_list(windows) %}
    {%- set out = sqltrain._as_list(windows) -%}
    {%- if out | length == 0 -%}
        {{ exceptions.raise_compiler_error("sqltrain: window_aggregates needs at least one window, e.g. ['30 days']") }}
    {%- endif -%}
    {%- for w in out %}{% do sqltrain._parse_interval(w, 'window') %}{% endfor -%}
    {{ return(out) }}
{% endmacro %}


{#- One aggregate over one window from a joined event row `s` and pair `p`: the event is in
    the window when it is after T - w (the upper bound is in the join). -#}
{% macro _windowed_agg_sql(a, window) -%}
    {%- set inside = 's.__sqltrain_ev > p.__sqltrain_t - ' ~ sqltrain.interval(window) -%}
    {%- set value = '1' if a.column == '*' else 's.__sqltrain_a' ~ a.slot -%}
    {%- if a.agg == 'count_distinct' -%}
        count(distinct case when {{ inside }} then {{ value }} end)
    {%- else -%}
        {{ a.agg }}(case when {{ inside }} then {{ value }} end)
    {%- endif -%}
{%- endmacro %}


{#- Counts and sums of an empty window are 0; avg/min/max of an empty window are NULL. -#}
{% macro _empty_window_default(a, expr) -%}
    {%- if a.agg in ('count', 'count_distinct', 'sum') -%}
        coalesce({{ expr }}, 0)
    {%- else -%}
        {{ expr }}
    {%- endif -%}
{%- endmacro %}


{#- The join needs only the widest window; with months or years (not of fixed length) in the
    list, every window bounds the join. -#}
{% macro _widest_window_predicate(windows) -%}
    {%- set lengths = [] -%}
    {%- set ns = namespace(exact=true, widest=windows[0], seconds=0) -%}
    {%- for w in windows -%}
        {%- set l = sqltrain._interval_seconds(w) -%}
        {%- if not l.exact %}{% set ns.exact = false %}{% endif -%}
        {%- if l.seconds > ns.seconds %}{% set ns.seconds = l.seconds %}{% set ns.widest = w %}{% endif -%}
    {%- endfor -%}
    {%- if ns.exact -%}
        s.__sqltrain_ev > p.__sqltrain_t - {{ sqltrain.interval(ns.widest) }}
    {%- else -%}
        ({% for w in windows %}s.__sqltrain_ev > p.__sqltrain_t - {{ sqltrain.interval(w) }}{{ ' or ' if not loop.last }}{% endfor %})
    {%- endif -%}
{%- endmacro %}


{% macro _window_source_rows(source, key_cols, columns, event_ts, known_at, where, as_of) -%}
    select {{ sqltrain._select_keys(key_cols) }},
        {{ event_ts }} as __sqltrain_ev,
        {{ known_at if known_at else 'cast(null as timestamp)' }} as __sqltrain_kn
        {%- for c in columns %}, {{ c }} as __sqltrain_a{{ loop.index0 }}{% endfor %}
    from {{ source }}
    where {{ sqltrain._not_null(key_cols) }} and {{ event_ts }} is not null
    {%- if known_at %} and {{ known_at }} is not null{% endif %}
    {%- if where %} and ({{ where }}){% endif %}
    {%- if as_of is not none %}
        and {{ event_ts }} <= {{ sqltrain.as_of_literal(as_of) }}
        {%- if known_at %} and {{ known_at }} <= {{ sqltrain.as_of_literal(as_of) }}{% endif %}
    {%- endif %}
{%- endmacro %}


{#- Portable: a range join of (entity, cutoff) pairs to the events of the widest window, with
    one conditional aggregate per (aggregate, window). -#}
{% macro default__window_aggregates(spine, entity_keys, cutoff, source, aggregates, windows, event_ts,
                                    known_at, keys, strict, prefix, where, as_of) %}
    {%- set spec = sqltrain._agg_specs(aggregates) -%}
    {%- set windows = sqltrain._window_list(windows) -%}
    {%- set key_cols = sqltrain._source_keys(keys, entity_keys, 'window_aggregates source ' ~ source) -%}
    {%- set n = entity_keys | length -%}
with __sqltrain_pairs as (
    {{ sqltrain._spine_pairs(spine, entity_keys, cutoff) }}
)
, __sqltrain_src as (
    {{ sqltrain._window_source_rows(source, key_cols, spec.columns, event_ts, known_at, where, as_of) }}
)
, __sqltrain_agg as (
    select {{ sqltrain._key_list(n, 'p') }}, p.__sqltrain_t
        {%- for a in spec.aggs %}{% set ai = loop.index0 %}{% for w in windows %},
        {{ sqltrain._windowed_agg_sql(a, w) }} as __sqltrain_v{{ ai }}_{{ loop.index0 }}
        {%- endfor %}{% endfor %}
    from __sqltrain_pairs as p
    inner join __sqltrain_src as s
        on {{ sqltrain._keys_equal(n, 'p', 's') }}
        and s.__sqltrain_ev {{ '<' if strict else '<=' }} p.__sqltrain_t
        and {{ sqltrain._widest_window_predicate(windows) }}
        {%- if known_at %}
        and s.__sqltrain_kn <= p.__sqltrain_t
        {%- endif %}
    group by {{ sqltrain._key_list(n, 'p') }}, p.__sqltrain_t
)
select __sqltrain_spine.*
    {%- for a in spec.aggs %}{% set ai = loop.index0 %}{% for w in windows %},
    {{ sqltrain._empty_window_default(a, '__sqltrain_g.__sqltrain_v' ~ ai ~ '_' ~ loop.index0) }} as {{ prefix ~ a.base ~ '_' ~ sqltrain._interval_suffix(w) }}
    {%- endfor %}{% endfor %}
from {{ spine }} as __sqltrain_spine
left join __sqltrain_agg as __sqltrain_g
    on {{ sqltrain._spine_keys_equal(entity_keys, '__sqltrain_spine', '__sqltrain_g') }}
    and __sqltrain_spine.{{ cutoff }} = __sqltrain_g.__sqltrain_t
{% endmacro %}


{% macro duckdb__window_aggregates(spine, entity_keys, cutoff, source, aggregates, windows, event_ts,
                                   known_at, keys, strict, prefix, where, as_of) %}
    {{ return(sqltrain.default__window_aggregates(spine, entity_keys, cutoff, source, aggregates, windows,
        event_ts, known_at, keys, strict, prefix, where, as_of)) }}
{% endmacro %}
