{#- Generic test: a sampled re-derivation of one feature column. For a deterministic sample of the
    training set's examples, the feature is recomputed from its source with the brute-force
    visibility rule (docs/semantics.md) — a source row counts at cutoff T iff event_ts <= T (< T
    with strict), known_at <= T when a known_at column is given, and event_ts > T - window (or
    ttl) when one is given — and compared with the value in the training set. A hand-written
    feature that reads past the cutoff fails `dbt build` with the examples that disagree.

      - sqltrain.no_reads_after_cutoff:
          arguments:
            source: ref('feat_orders')      # the feature source
            entity: [customer_id]           # the training set's entity keys
            cutoff: as_of_ts                # the training set's cutoff column
            event_ts: event_ts
            known_at: known_at              # optional
            feature: orders_count_30d       # the training set's column under test
            agg: count                      # latest | count | sum | avg | min | max | count_distinct
            window: 30 days                 # aggregates over (T - window, T]; omit for all history
            sample: 500                     # examples rechecked (default 1000)

    `value` is the source column aggregated (or picked, for latest; count without it counts
    rows), `source_entity` the source's key columns when they are named differently, `ttl` the
    latest value's time to live, `source_where` a predicate on the source's rows (the macros' `where`;
    dbt keeps `where` for filtering the model under test),
    `seed` moves the sample. Rows recorded after var('as_of') are never visible. For `latest`, the feature must equal the
    value of one of the visible rows with the greatest (event_ts, known_at), or be NULL when no row
    is visible; `count` and `sum` of nothing are 0 (as the macros return them), `avg`/`min`/`max`
    NULL; floating-point results may differ by 1e-9 relative. -#}
{% test no_reads_after_cutoff(model, source, entity, cutoff, event_ts, feature, agg, value=none, known_at=none,
                              source_entity=none, window=none, ttl=none, strict=false, source_where=none, sample=1000, seed=0) %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {{ return(adapter.dispatch('test_no_reads_after_cutoff', 'sqltrain')(
        model, source, entity, cutoff, event_ts, feature, agg, value, known_at, source_entity, window, ttl,
        strict, source_where, sample, seed)) }}
{% endtest %}

{% macro default__test_no_reads_after_cutoff(model, source, entity, cutoff, event_ts, feature, agg, value, known_at,
                                             source_entity, window, ttl, strict, source_where, sample, seed) %}
{%- set where_ = 'no_reads_after_cutoff on ' ~ feature ~ ':' -%}
{%- set aggs = ['latest', 'count', 'sum', 'avg', 'min', 'max', 'count_distinct'] -%}
{%- if agg not in aggs -%}
    {%- do sqltrain._fail(where_, "agg '" ~ agg ~ "' is not one of " ~ aggs | join(', ')) -%}
{%- endif -%}
{%- if value is none and agg != 'count' -%}
    {%- do sqltrain._fail(where_, "agg '" ~ agg ~ "' needs `value`, the source column it reads") -%}
{%- endif -%}
{%- set entity = sqltrain._as_list(entity) -%}
{%- set theirs = sqltrain._source_keys(source_entity, entity, where_) -%}
{%- set lookback = window if window is not none else ttl -%}
{%- set as_of = sqltrain.as_of_literal(var('as_of')) if var('as_of', none) is not none else none -%}
{%- set upper = '<' if (strict is sameas true or (strict | string | lower) == 'true') else '<=' -%}
with numbered as (
    select
        {{ sqltrain._select_keys(entity) }},
        {{ cutoff }} as __sqltrain_cutoff,
        {{ feature }} as __sqltrain_found,
        row_number() over (order by {% for k in entity %}{{ k }}, {% endfor %}{{ cutoff }}) as __sqltrain_rn,
        count(*) over () as __sqltrain_n
    from {{ model }}
),
examples as (
    {#- about `sample` rows spread over the whole set: a multiplicative hash of the row number #}
    select * from numbered
    where (cast(__sqltrain_rn as bigint) * 2654435761 + {{ seed | int }}) % __sqltrain_n < {{ sample | int }}
),
visible as (
    select
        x.__sqltrain_rn,
        {{ ('e.' ~ value) if value is not none else '1' }} as __sqltrain_v,
        e.{{ event_ts }} as __sqltrain_ev
        {%- if known_at is not none %}, e.{{ known_at }} as __sqltrain_kn{% endif %}
    from examples as x
    join {{ source }} as e
        on {% for k in theirs %}e.{{ k }} = x.__sqltrain_k{{ loop.index0 }} and {% endfor -%}
           e.{{ event_ts }} {{ upper }} x.__sqltrain_cutoff
        {%- if known_at is not none %} and e.{{ known_at }} <= x.__sqltrain_cutoff{% endif %}
        {%- if lookback is not none %} and e.{{ event_ts }} > x.__sqltrain_cutoff - {{ sqltrain.interval(lookback) }}{% endif %}
        {%- if as_of is not none %}
           and e.{{ event_ts }} <= {{ as_of }}{% if known_at is not none %} and e.{{ known_at }} <= {{ as_of }}{% endif %}
        {%- endif %}
    {%- if source_where is not none %}
    where {{ source_where }}
    {%- endif %}
),
{%- if agg == 'latest' %}
ranked as (
    select visible.*,
        rank() over (partition by __sqltrain_rn order by __sqltrain_ev desc
                     {%- if known_at is not none %}, __sqltrain_kn desc{% endif %}) as __sqltrain_rank
    from visible
),
visible_counts as (
    select __sqltrain_rn, count(*) as visible_rows from visible group by __sqltrain_rn
),
matched as (
    select distinct r.__sqltrain_rn
    from ranked as r
    join examples as x
        on r.__sqltrain_rn = x.__sqltrain_rn and r.__sqltrain_rank = 1
       and r.__sqltrain_v is not distinct from x.__sqltrain_found
),
judged as (
    select x.*, coalesce(c.visible_rows, 0) as visible_rows, m.__sqltrain_rn is not null as matches_a_latest_row
    from examples as x
    left join visible_counts as c on c.__sqltrain_rn = x.__sqltrain_rn
    left join matched as m on m.__sqltrain_rn = x.__sqltrain_rn
)
select
    {% for k in entity %}__sqltrain_k{{ loop.index0 }} as {{ k }}, {% endfor -%}
    __sqltrain_cutoff as {{ cutoff }}, __sqltrain_found as {{ feature }}, visible_rows
from judged
where not (matches_a_latest_row or (visible_rows = 0 and __sqltrain_found is null))
{%- else %}
{%- set sql_agg = {'count': 'count', 'sum': 'sum', 'avg': 'avg', 'min': 'min', 'max': 'max', 'count_distinct': 'count'}[agg] %}
recomputed as (
    select __sqltrain_rn,
        {{ sql_agg }}({{ 'distinct ' if agg == 'count_distinct' else '' }}__sqltrain_v) as __sqltrain_expected
    from visible
    group by __sqltrain_rn
),
judged as (
    select x.*,
        {%- if agg in ('count', 'sum', 'count_distinct') %}
        coalesce(r.__sqltrain_expected, 0) as __sqltrain_expected,
        coalesce(x.__sqltrain_found, 0) as __sqltrain_compared
        {%- else %}
        r.__sqltrain_expected, x.__sqltrain_found as __sqltrain_compared
        {%- endif %}
    from examples as x
    left join recomputed as r on r.__sqltrain_rn = x.__sqltrain_rn
)
select
    {% for k in entity %}__sqltrain_k{{ loop.index0 }} as {{ k }}, {% endfor -%}
    __sqltrain_cutoff as {{ cutoff }}, __sqltrain_found as {{ feature }}, __sqltrain_expected as expected_{{ agg }}
from judged
where __sqltrain_compared is distinct from __sqltrain_expected
{%- if agg in ('sum', 'avg') %}
  and not coalesce(abs(__sqltrain_compared - __sqltrain_expected)
                   <= 1e-9 * (1 + abs(__sqltrain_compared) + abs(__sqltrain_expected)), false)
{%- endif %}
{%- endif %}
{% endmacro %}
