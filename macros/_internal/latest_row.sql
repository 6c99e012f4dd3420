{#- "Latest visible row per (entity, cutoff)": the core of point_in_time_join and scd2_as_of_join.

    The source CTE has __sqltrain_k0.. keys and payload columns. A row's rank is its order_by
    (a list of [expression, 'desc'] pairs read as "greater wins, NULL loses"), so the winner is
    unique up to rows that are identical in everything the caller brings: two runs give the same
    bytes whichever of such twins the engine picks. -#}


{#- Portable: join each (entity, cutoff) pair to its visible rows and keep row_number() = 1. -#}
{% macro _latest_row_portable(pairs, src, nkeys, visible, order_by, payload) -%}
    select {{ sqltrain._key_list(nkeys) }}, __sqltrain_t{% for c in payload %}, {{ c }}{% endfor %}
    from (
        select {{ sqltrain._key_list(nkeys, 'p') }}, p.__sqltrain_t{% for c in payload %}, s.{{ c }}{% endfor %},
            row_number() over (
                partition by {{ sqltrain._key_list(nkeys, 'p') }}, p.__sqltrain_t
                order by {% for e in order_by %}{{ e }} desc nulls last{{ ', ' if not loop.last }}{% endfor %}
            ) as __sqltrain_rn
        from {{ pairs }} as p
        inner join {{ src }} as s
            on {{ sqltrain._keys_equal(nkeys, 'p', 's') }}
            and {{ visible }}
    ) as __sqltrain_ranked
    where __sqltrain_rn = 1
{%- endmacro %}


{#- DuckDB, for the rows whose visibility time __sqltrain_v (a timestamp) is not their ranking's first
    column (rows that landed late: visible from known_at, ranked by event time first): the rows that
    are, when they become visible, the greatest _rank_struct (as __sqltrain_w) among the rows with
    __sqltrain_v <= their own. The running winner only changes at such a row, so an ASOF JOIN on
    `cutoff >= __sqltrain_v` over them alone reads the winner at the cutoff. A row's place in the
    ranking is a row_number ("NULL loses" as nulls first) and the running winner a running max of
    that number, not of the structs: DuckDB computes a running max of an integer several times
    faster, and the structs are built only for the rows kept. The RANGE frame includes peers, so of
    rows tied on __sqltrain_v only the greatest is kept and ASOF has no choice to make among them. -#}
{% macro _latest_row_duckdb_running(src, nkeys, visible_from, rank_time, order_by, where) -%}
    select {{ sqltrain._key_list(nkeys) }}, __sqltrain_v,
        {{ sqltrain._rank_struct(rank_time, order_by[1:]) }} as __sqltrain_w
    from (
        select *,
            max(__sqltrain_pos) over (
                partition by {{ sqltrain._key_list(nkeys) }} order by __sqltrain_v
                range between unbounded preceding and current row) as __sqltrain_best
        from (
            select *, {{ visible_from }} as __sqltrain_v,
                row_number() over (
                    partition by {{ sqltrain._key_list(nkeys) }}
                    order by {% for e in order_by %}{{ e }} asc nulls first{{ ', ' if not loop.last }}{% endfor %}
                ) as __sqltrain_pos
            from {{ src }}
            where {{ where }}
        ) as __sqltrain_positioned
    ) as __sqltrain_running
    where __sqltrain_pos = __sqltrain_best
{%- endmacro %}


{#- DuckDB, when visibility is the ranking's first column (no known_at): one row per source row
    with the whole ranking as a struct __sqltrain_v, compared in the ASOF JOIN itself against
    _rank_struct_asof. Each ranking column after the time becomes a (not null, value) pair so
    that NULL loses; the probe has NULL in every field after the time, which DuckDB orders above
    any value, so the greatest row with time <= cutoff wins, ties included. -#}
{% macro _latest_row_duckdb_ranked(src, nkeys, visible_from, order_by, payload, where=none) -%}
    select {{ sqltrain._key_list(nkeys) }}, {{ sqltrain._rank_struct(visible_from, order_by[1:]) }} as __sqltrain_v
        {%- for c in payload %}, {{ c }}{% endfor %}
    from {{ src }}
    {%- if where %}
    where {{ where }}
    {%- endif %}
{%- endmacro %}


{#- The ranking as a struct (time first, then each rank as __sqltrain_n<i> "is not null" and
    __sqltrain_o<i> its value), or with probe=true the spine side (time, then NULLs). The knowledge
    time __sqltrain_kn is never NULL where it ranks (the source filter drops rows without one), so
    it goes without its "is not null" field: one field less to compare in every sort. -#}
{% macro _rank_struct(time_expr, ranks, probe=false) -%}
    struct_pack(__sqltrain_t := {{ time_expr }}
    {%- for c in ranks -%}
        {%- if c != '__sqltrain_kn' %}, __sqltrain_n{{ loop.index0 }} := {{ 'null' if probe else c ~ ' is not null' }}{% endif -%}
        , __sqltrain_o{{ loop.index0 }} := {{ 'null' if probe else c }}
    {%- endfor %})
{%- endmacro %}


{#- The greater of two _rank_structs, or the one that is not NULL (what greatest() returns). Not
    greatest() itself: on structs DuckDB (2.0) evaluates it through sort keys whose memory is neither
    under memory_limit nor freed before the query ends (about 30 bytes a row), which took the demo's
    build at scale 100 a GiB past its limit (docs/macros.md#memory). A struct comparison orders these
    structs as greatest() does: every field that can be NULL follows its own "is not null" field. -#}
{% macro _greater_rank(a, b) -%}
    case when {{ b }} is null or {{ a }} >= {{ b }} then {{ a }} else {{ b }} end
{%- endmacro %}


{#- The ASOF condition of a spine row against _latest_row_duckdb_ranked's rows (`feat`), after the
    key equalities. A NULL cutoff matches nothing, as with a scalar inequality. A NULL struct
    probe would say so, but DuckDB 2.0's ASOF LEFT JOIN then returns wrong values in other spine
    columns of such rows (seen with composite keys): the probe is never NULL. A NULL cutoff probes
    at -infinity, and the equality (cutoff is not null) = (feat's first key is not null), whose
    right side is always true (NULL keys never reach feat), keeps it from matching. -#}
{% macro _rank_struct_asof(cutoff_expr, order_by, feat) -%}
    ({{ cutoff_expr }} is not null) = ({{ feat }}.__sqltrain_k0 is not null)
    and {{ sqltrain._rank_struct('coalesce(' ~ cutoff_expr ~ ", cast('-infinity' as timestamp))", order_by[1:], probe=true) }}
        >= {{ feat }}.__sqltrain_v
{%- endmacro %}
