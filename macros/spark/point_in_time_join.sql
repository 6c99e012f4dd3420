{#- Spark: the latest visible row as a running maximum, not a range join.

    Each source's rows and the spine's (entity, cutoff) pairs are unioned per entity and sorted
    once by time; a running max(struct(winner order..., payload...)) over that order is, at each
    pair, the greatest visible row. Spark orders structs field by field with NULL smallest, which
    is exactly the portable ranking's "greater wins, NULL loses", so the winner (and every tie
    break) is the same as default__'s. The cost is one sort per entity instead of pairing every
    cutoff with every older event, which is what grows with the history on a cluster.

    Visibility is a single instant per row, as in duckdb__: greatest(event_ts, known_at), with
    event_ts moved one microsecond later under `strict` (Spark's TIMESTAMP resolution), so that
    `visible_from <= T` means visible at T. Rows come before pairs at equal instants (the frame
    includes them). The TTL is checked on the winner: if the latest visible event is too old,
    every other visible one is older. var('sqltrain_portable') selects default__ instead. -#}
{% macro spark__point_in_time_join(spine, entity_keys, cutoff, sources, strict, as_of) %}
    {%- if sqltrain._use_portable() -%}
        {{ return(sqltrain.default__point_in_time_join(spine, entity_keys, cutoff, sources, strict, as_of)) }}
    {%- endif -%}
    {%- set specs = sqltrain._pit_sources(sources, entity_keys, strict) -%}
    {%- set n = entity_keys | length -%}
with __sqltrain_pairs as (
    {{ sqltrain._spine_pairs(spine, entity_keys, cutoff) }}
)
{%- for s in specs %}
    {%- set i = loop.index0 %}
    {%- set ev = 'timestamp_micros(unix_micros(__sqltrain_ev) + 1)' if s.strict else '__sqltrain_ev' %}
    {%- set visible_from = ('greatest(' ~ ev ~ ', __sqltrain_kn)') if s.known_at else ev %}
    {%- set order = sqltrain._pit_order(s) %}
, __sqltrain_src{{ i }} as (
    {{ sqltrain._pit_source_rows(s, as_of) }}
)
, __sqltrain_feat{{ i }} as (
    select {{ sqltrain._key_list(n) }}, __sqltrain_t,
        __sqltrain_w.__sqltrain_ev as __sqltrain_ev
        {%- for c in s.columns %}, __sqltrain_w.__sqltrain_c{{ loop.index0 }} as __sqltrain_c{{ loop.index0 }}{% endfor %}
    from (
        select {{ sqltrain._key_list(n) }}, __sqltrain_t, __sqltrain_side,
            max(__sqltrain_r) over (
                partition by {{ sqltrain._key_list(n) }}
                order by __sqltrain_v, __sqltrain_side
                rows between unbounded preceding and current row
            ) as __sqltrain_w
        from (
            select {{ sqltrain._key_list(n) }}, {{ visible_from }} as __sqltrain_v, 0 as __sqltrain_side,
                cast(null as timestamp) as __sqltrain_t,
                named_struct({% for e in order %}'{{ e }}', {{ e }}{{ ', ' if not loop.last }}{% endfor %}) as __sqltrain_r
            from __sqltrain_src{{ i }}
            union all
            select {{ sqltrain._key_list(n) }}, __sqltrain_t as __sqltrain_v, 1 as __sqltrain_side,
                __sqltrain_t,
                null as __sqltrain_r
            from __sqltrain_pairs
        ) as __sqltrain_timeline
    ) as __sqltrain_running
    where __sqltrain_side = 1
)
{%- endfor %}
select __sqltrain_spine.*{{ sqltrain._pit_winner_columns(specs, cutoff) }}
from {{ spine }} as __sqltrain_spine
{%- for s in specs %}
left join __sqltrain_feat{{ loop.index0 }} as __sqltrain_f{{ loop.index0 }}
    on {{ sqltrain._spine_keys_equal(entity_keys, '__sqltrain_spine', '__sqltrain_f' ~ loop.index0) }}
    and __sqltrain_spine.{{ cutoff }} = __sqltrain_f{{ loop.index0 }}.__sqltrain_t
{%- endfor %}
{% endmacro %}
