{#- Windowed aggregates of an event source over (T - w, T] per entity, several windows and
    aggregates in one pass (docs/semantics.md §4). Arguments and examples: docs/macros.md. -#}

{% macro window_aggregates(spine, entity_keys, cutoff, source, aggregates, windows, event_ts='event_ts',
                           known_at=none, keys=none, strict=false, prefix='', where=none, as_of='var:as_of',
                           method='range_join') %}
    {%- if method not in ('range_join', 'cumulative') -%}
        {%- do sqltrain._fail('window_aggregates', "method='" ~ method ~ "' is not allowed; use 'range_join' (default) or 'cumulative' (DuckDB, count/sum/avg, for dense event streams)") -%}
    {%- endif -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set as_of = sqltrain._as_of_arg(as_of) -%}
    {%- set implementation = sqltrain._or_portable(adapter.dispatch('window_aggregates', 'sqltrain')) -%}
    {{ return(implementation(spine, sqltrain._as_list(entity_keys), cutoff, source,
        aggregates, windows, event_ts, known_at, keys, strict, prefix, where, as_of, method)) }}
{% endmacro %}


{#- Normalises aggregates to [{agg, column, base, slot}] where slot indexes the distinct source
    columns read (__sqltrain_a0..), and checks each item. -#}
{% macro _agg_specs(aggregates) %}
    {%- set allowed = ['count', 'sum', 'avg', 'min', 'max', 'count_distinct'] -%}
    {%- set columns = [] -%}
    {%- set out = [] -%}
    {%- for a in ([aggregates] if aggregates is mapping else aggregates) -%}
        {%- if a is not mapping or a.get('agg') not in allowed -%}
            {%- do sqltrain._fail('window_aggregates aggregate #' ~ loop.index, a ~ " needs 'agg' among " ~ allowed) -%}
        {%- endif -%}
        {%- set column = a.get('column') or ('*' if a['agg'] == 'count' else none) -%}
        {%- if column is none or (column == '*' and a['agg'] != 'count') -%}
            {%- do sqltrain._fail('window_aggregates aggregate #' ~ loop.index, "(" ~ a['agg'] ~ ") needs a 'column'; only count takes '*'") -%}
        {%- endif -%}
        {%- if column != '*' and column not in columns %}{% do columns.append(column) %}{% endif -%}
        {%- set base = a.get('name') or ('count' if column == '*' else a['agg'] ~ '_' ~ column) -%}
        {%- do out.append({'agg': a['agg'], 'column': column, 'base': base,
                           'slot': none if column == '*' else columns.index(column)}) -%}
    {%- endfor -%}
    {%- if out | length == 0 -%}
        {%- do sqltrain._fail('window_aggregates', "needs at least one aggregate") -%}
    {%- endif -%}
    {{ return({'aggs': out, 'columns': columns}) }}
{% endmacro %}


{% macro _window_list(windows) %}
    {%- set out = sqltrain._as_list(windows) -%}
    {%- if out | length == 0 -%}
        {%- do sqltrain._fail('window_aggregates', "needs at least one window, e.g. ['30 days']") -%}
    {%- endif -%}
    {%- for w in out %}{% do sqltrain._parse_interval(w, 'window_aggregates window') %}{% endfor -%}
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


{#- The source rows that may ever be in a window (see _source_rows), with the aggregated columns
    as __sqltrain_a0... -#}
{% macro _window_source_rows(source, key_cols, columns, event_ts, known_at, where, as_of) -%}
    {%- set carried = [] -%}
    {%- for c in columns %}{% do carried.append([c, '__sqltrain_a' ~ loop.index0]) %}{% endfor -%}
    {{ sqltrain._source_rows(source, key_cols, event_ts, known_at, as_of, carried, where) }}
{%- endmacro %}


{#- Portable: a range join of (entity, cutoff) pairs to the events of the widest window, with
    one conditional aggregate per (aggregate, window). -#}
{% macro default__window_aggregates(spine, entity_keys, cutoff, source, aggregates, windows, event_ts,
                                    known_at, keys, strict, prefix, where, as_of, method='range_join') %}
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
{{ sqltrain._join_pairs('__sqltrain_agg', '__sqltrain_g', entity_keys, cutoff) }}
{% endmacro %}


{#- DuckDB: the range join by default; it measured fastest while events per entity and window are
    few (docs/macros.md#benchmarks). method='cumulative' reads count/sum/avg as
    differences of running totals through ASOF JOINs, so its cost does not grow with the events per
    window: 5x faster for dense event streams (thousands of events per entity and window). -#}
{% macro duckdb__window_aggregates(spine, entity_keys, cutoff, source, aggregates, windows, event_ts,
                                   known_at, keys, strict, prefix, where, as_of, method='range_join') %}
    {%- if method != 'cumulative' -%}
        {{ return(sqltrain.default__window_aggregates(spine, entity_keys, cutoff, source, aggregates, windows,
            event_ts, known_at, keys, strict, prefix, where, as_of)) }}
    {%- endif -%}
    {{ return(sqltrain._window_aggregates_cumulative(spine, entity_keys, cutoff, source, aggregates, windows,
        event_ts, known_at, keys, strict, prefix, where, as_of)) }}
{% endmacro %}


{#- Running totals: with vis = the instant an event becomes visible (event_ts, or event_ts + 1
    microsecond under strict, or later when known_at is later), the events of window w at T are
        R_vis(T) - R_ev(T - w) + #(event_ts <= T - w and vis > T)
    where R_vis / R_ev are running totals ordered by vis / event_ts, each read with one ASOF JOIN.
    The last term only holds events that landed more than w after they happened (only with
    known_at), read by a small join. On floating-point columns the differences of running sums
    can differ from a direct sum in the last digits. -#}
{% macro _window_aggregates_cumulative(spine, entity_keys, cutoff, source, aggregates, windows, event_ts,
                                       known_at, keys, strict, prefix, where, as_of) %}
    {%- set spec = sqltrain._agg_specs(aggregates) -%}
    {%- set windows = sqltrain._window_list(windows) -%}
    {%- for a in spec.aggs if a.agg not in ('count', 'sum', 'avg') -%}
        {%- do sqltrain._fail('window_aggregates', "method='cumulative' computes count, sum and avg only, not " ~ a.agg ~ "; use method='range_join'") -%}
    {%- endfor -%}
    {%- set key_cols = sqltrain._source_keys(keys, entity_keys, 'window_aggregates source ' ~ source) -%}
    {%- set n = entity_keys | length -%}
    {%- set ev = "__sqltrain_ev + interval '1 microsecond'" if strict else '__sqltrain_ev' -%}
    {%- set vis = ('greatest(' ~ ev ~ ', __sqltrain_kn)') if known_at else ev -%}
    {#- measures: row count, then per source column its non-NULL count and sum -#}
    {%- set measures = ['__sqltrain_rows'] -%}
    {%- for c in spec.columns %}{% do measures.extend(['__sqltrain_n' ~ loop.index0, '__sqltrain_s' ~ loop.index0]) %}{% endfor -%}
with __sqltrain_pairs as (
    {{ sqltrain._spine_pairs(spine, entity_keys, cutoff) }}
)
, __sqltrain_src as (
    {{ sqltrain._window_source_rows(source, key_cols, spec.columns, event_ts, known_at, where, as_of) }}
)
, __sqltrain_events as (
    select {{ sqltrain._key_list(n) }}, __sqltrain_ev, {{ vis }} as __sqltrain_vis, 1 as __sqltrain_rows
        {%- for c in spec.columns %},
        case when __sqltrain_a{{ loop.index0 }} is null then 0 else 1 end as __sqltrain_n{{ loop.index0 }},
        coalesce(__sqltrain_a{{ loop.index0 }}, 0) as __sqltrain_s{{ loop.index0 }}
        {%- endfor %}
    from __sqltrain_src
)
{%- for order_col in ['__sqltrain_vis', '__sqltrain_ev'] %}
, __sqltrain_running{{ loop.index0 }} as (
    select {{ sqltrain._key_list(n) }}, {{ order_col }} as __sqltrain_at
        {%- for m in measures %}, sum({{ m }}) over __sqltrain_w as {{ m }}{% endfor %}
    from __sqltrain_events
    window __sqltrain_w as (partition by {{ sqltrain._key_list(n) }} order by {{ order_col }}
                            range between unbounded preceding and current row)
)
{%- endfor %}
{%- if known_at %}
, __sqltrain_very_late as (
    select p.__sqltrain_t, {{ sqltrain._key_list(n, 'p') }}
        {%- for w in windows %}{% set wi = loop.index0 %}{% for m in measures %},
        sum(case when e.__sqltrain_ev <= p.__sqltrain_t - {{ sqltrain.interval(w) }} then e.{{ m }} else 0 end) as {{ m }}_{{ wi }}
        {%- endfor %}{% endfor %}
    from __sqltrain_pairs as p
    inner join (
        select * from __sqltrain_events
        where {% for w in windows %}__sqltrain_vis > __sqltrain_ev + {{ sqltrain.interval(w) }}{{ ' or ' if not loop.last }}{% endfor %}
    ) as e
        on {{ sqltrain._keys_equal(n, 'p', 'e') }}
        and e.__sqltrain_vis > p.__sqltrain_t
        and ({% for w in windows %}e.__sqltrain_ev <= p.__sqltrain_t - {{ sqltrain.interval(w) }}{{ ' or ' if not loop.last }}{% endfor %})
    group by p.__sqltrain_t, {{ sqltrain._key_list(n, 'p') }}
)
{%- endif %}
, __sqltrain_agg as (
    select {{ sqltrain._key_list(n, 'p') }}, p.__sqltrain_t
        {%- for w in windows %}{% set wi = loop.index0 %}{% for m in measures %},
        coalesce(v.{{ m }}, 0) - coalesce(e{{ wi }}.{{ m }}, 0)
            {%- if known_at %} + coalesce(l.{{ m }}_{{ wi }}, 0){% endif %} as {{ m }}_{{ wi }}
        {%- endfor %}{% endfor %}
    from __sqltrain_pairs as p
    asof left join __sqltrain_running0 as v
        on {{ sqltrain._keys_equal(n, 'p', 'v') }} and p.__sqltrain_t >= v.__sqltrain_at
    {%- for w in windows %}
    asof left join __sqltrain_running1 as e{{ loop.index0 }}
        on {{ sqltrain._keys_equal(n, 'p', 'e' ~ loop.index0) }}
        and p.__sqltrain_t - {{ sqltrain.interval(w) }} >= e{{ loop.index0 }}.__sqltrain_at
    {%- endfor %}
    {%- if known_at %}
    left join __sqltrain_very_late as l
        on {{ sqltrain._keys_equal(n, 'p', 'l') }} and p.__sqltrain_t = l.__sqltrain_t
    {%- endif %}
)
select __sqltrain_spine.*
    {%- for a in spec.aggs %}{% for w in windows %}{% set wi = loop.index0 %},
    {#- counts typed as count() types them (BIGINT), not as a sum of ones -#}
    {% if a.agg == 'count' and a.column == '*' -%}
        cast(coalesce(__sqltrain_g.__sqltrain_rows_{{ wi }}, 0) as bigint)
    {%- elif a.agg == 'count' -%}
        cast(coalesce(__sqltrain_g.__sqltrain_n{{ a.slot }}_{{ wi }}, 0) as bigint)
    {%- elif a.agg == 'sum' -%}
        coalesce(__sqltrain_g.__sqltrain_s{{ a.slot }}_{{ wi }}, 0)
    {%- else -%}
        case when __sqltrain_g.__sqltrain_n{{ a.slot }}_{{ wi }} > 0
            then cast(__sqltrain_g.__sqltrain_s{{ a.slot }}_{{ wi }} as double) / __sqltrain_g.__sqltrain_n{{ a.slot }}_{{ wi }} end
    {%- endif %} as {{ prefix ~ a.base ~ '_' ~ sqltrain._interval_suffix(w) }}
    {%- endfor %}{% endfor %}
from {{ spine }} as __sqltrain_spine
{{ sqltrain._join_pairs('__sqltrain_agg', '__sqltrain_g', entity_keys, cutoff) }}
{% endmacro %}
