{#- Latest-value join of one or more feature sources onto a spine (docs/semantics.md §1-3).
    Arguments and examples: docs/macros.md. Implementations: default__ (portable range join),
    duckdb__ (ASOF JOIN), spark__ (running maximum). -#}

{% macro point_in_time_join(spine, entity_keys, cutoff, sources, strict=false, as_of='var:as_of') %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set as_of = sqltrain._as_of_arg(as_of) -%}
    {%- set implementation = sqltrain._or_portable(adapter.dispatch('point_in_time_join', 'sqltrain')) -%}
    {{ return(implementation(spine, sqltrain._as_list(entity_keys), cutoff, sources, strict, as_of)) }}
{% endmacro %}


{#- Fills in a source dict's defaults and checks it, naming the source at fault. -#}
{% macro _pit_sources(sources, entity_keys, strict) %}
    {%- set out = [] -%}
    {%- set given = [sources] if sources is mapping else sources -%}
    {%- for s in given -%}
        {%- set where_ = 'point_in_time_join source #' ~ loop.index -%}
        {%- if s is not mapping or 'relation' not in s -%}
            {%- do sqltrain._fail(where_, "needs a `relation` (a ref(), source() or table name)") -%}
        {%- endif -%}
        {%- set where_ = where_ ~ " (" ~ s['relation'] ~ ")" -%}
        {%- if 'columns' not in s -%}
            {%- do sqltrain._fail(where_, "needs `columns`: the source columns to bring") -%}
        {%- endif -%}
        {%- set unknown = [] -%}
        {%- for k in s.keys() if k not in ('relation', 'columns', 'keys', 'event_ts', 'known_at', 'ttl', 'prefix', 'tie_break', 'strict') -%}
            {%- do unknown.append(k) -%}
        {%- endfor -%}
        {%- if unknown -%}
            {%- do sqltrain._fail(where_, "has unknown option(s) " ~ unknown ~ "; allowed: relation, columns, keys, event_ts, known_at, ttl, prefix, tie_break, strict") -%}
        {%- endif -%}
        {%- if s.get('ttl') is not none -%}
            {%- do sqltrain._parse_interval(s['ttl'], where_ ~ ' ttl') -%}
        {%- endif -%}
        {%- do out.append({
            'relation': s['relation'],
            'columns': sqltrain._column_specs(s['columns'], where_),
            'key_cols': sqltrain._source_keys(s.get('keys'), entity_keys, where_),
            'event_ts': s.get('event_ts') or 'event_ts',
            'known_at': s.get('known_at'),
            'ttl': s.get('ttl'),
            'prefix': s.get('prefix') or '',
            'tie_break': sqltrain._as_list(s.get('tie_break')),
            'strict': s.get('strict') if s.get('strict') is not none else strict,
        }) -%}
    {%- endfor -%}
    {%- if out | length == 0 -%}
        {%- do sqltrain._fail('point_in_time_join', "needs at least one source") -%}
    {%- endif -%}
    {{ return(out) }}
{% endmacro %}


{#- The source rows that may ever be visible (see _source_rows), with the tie_break columns as
    __sqltrain_tb0.. and the brought columns as __sqltrain_c0... -#}
{% macro _pit_source_rows(s, as_of) -%}
    {%- set carried = [] -%}
    {%- for tb in s.tie_break %}{% do carried.append([tb, '__sqltrain_tb' ~ loop.index0]) %}{% endfor -%}
    {%- for c in s.columns %}{% do carried.append([c[0], '__sqltrain_c' ~ loop.index0]) %}{% endfor -%}
    {{ sqltrain._source_rows(s.relation, s.key_cols, s.event_ts, s.known_at, as_of, carried) }}
{%- endmacro %}


{#- Winner order, greatest first: event time, knowledge time, tie_break columns, then the
    brought columns themselves (so ties never depend on the engine). known_at=false leaves out
    the knowledge time (a source without known_at has NULL there on every row). -#}
{% macro _pit_order(s, known_at=true) %}
    {%- set order = ['__sqltrain_ev', '__sqltrain_kn'] if known_at else ['__sqltrain_ev'] -%}
    {%- for tb in s.tie_break %}{% do order.append('__sqltrain_tb' ~ loop.index0) %}{% endfor -%}
    {%- for c in s.columns %}{% do order.append('__sqltrain_c' ~ loop.index0) %}{% endfor -%}
    {{ return(order) }}
{% endmacro %}


{% macro _pit_payload(s) %}
    {%- set payload = ['__sqltrain_ev'] -%}
    {%- for c in s.columns %}{% do payload.append('__sqltrain_c' ~ loop.index0) %}{% endfor -%}
    {{ return(payload) }}
{% endmacro %}


{% macro default__point_in_time_join(spine, entity_keys, cutoff, sources, strict, as_of) %}
    {%- set specs = sqltrain._pit_sources(sources, entity_keys, strict) -%}
    {%- set n = entity_keys | length -%}
with __sqltrain_pairs as (
    {{ sqltrain._spine_pairs(spine, entity_keys, cutoff) }}
)
{%- for s in specs %}
    {%- set i = loop.index0 %}
    {%- set visible -%}
        s.__sqltrain_ev {{ '<' if s.strict else '<=' }} p.__sqltrain_t
        {%- if s.known_at %} and s.__sqltrain_kn <= p.__sqltrain_t{% endif %}
        {%- if s.ttl %} and s.__sqltrain_ev > p.__sqltrain_t - {{ sqltrain.interval(s.ttl) }}{% endif %}
    {%- endset %}
, __sqltrain_src{{ i }} as (
    {{ sqltrain._pit_source_rows(s, as_of) }}
)
, __sqltrain_feat{{ i }} as (
    {{ sqltrain._latest_row_portable('__sqltrain_pairs', '__sqltrain_src' ~ i, n, visible, sqltrain._pit_order(s), sqltrain._pit_payload(s)) }}
)
{%- endfor %}
{{ sqltrain._pit_from_pairs(spine, specs, entity_keys, cutoff, '__sqltrain_feat', ttl=false) }}
{% endmacro %}


{#- DuckDB: native ASOF JOINs, one per source (two with known_at):

    * the ASOF inequality is a struct that carries the whole winner order: (event time, then each
      later ranking column as "not null, value"). The spine side is (cutoff, NULL, NULL, ...) and
      DuckDB orders a NULL struct field above every value, so the greatest row with event
      time <= cutoff wins, ties included, in the join's own sort: no pre-pass over the events
      (2.5x faster than a running winner at 1M spine rows x 10M events; docs/macros.md#benchmarks);
    * with known_at, a row is visible from greatest(event_ts, known_at) but ranks by event_ts
      first. Rows that landed on time (known_at <= event_ts) are visible exactly from their
      event time, so they take the struct ASOF above; only the late ones (known_at > event_ts)
      need a running winner over known_at: _latest_row_duckdb_running keeps the late rows that are
      that winner when they land, read by a second ASOF JOIN on `cutoff >= known_at`. The answer is the greater of the two winners, compared as
      the same rank structs, so ties break as everywhere else;
    * without known_at, where a test of the project proves that no two rows share (keys, event
      time) (_pit_ties_impossible), there are no ties to break: a plain ASOF JOIN on the event
      time, as a hand-written query would be;
    * DuckDB (2.0) partitions and sorts the whole left side of every ASOF JOIN and keeps it until the
      query ends, so chained on the spine each join holds the spine plus every column brought before
      it: rows x columns x sources / 2 in all (100 sources of 10 columns at 17k spine rows: past 8 GiB).
      Where the sources before the last bring _PIT_NARROW_COLUMNS columns or more, each source's
      ASOF JOIN(s) read only the spine's distinct (keys, cutoff) pairs instead, and equality joins
      (which stream the wide side) bring every source's columns back to the spine: memory grows with
      the sources, not their square (docs/macros.md#many-sources). Fewer columns keep the chain,
      which saves the pairs and a join per source on a long spine; the chain runs in one stage
      per source, each passing on the spine and its source's brought columns only, so no later
      join holds the ranking structs an earlier one matched (demo scale 100, three sources with
      known_at: 62 s and 4.0 GiB -> 38 s).

    Under `strict` a row is visible from event_ts + 1 microsecond (DuckDB TIMESTAMP resolution),
    which turns `event_ts < T` into `visible_from <= T`. The TTL is checked on the winner: if the
    latest visible event is too old, every other one is older. -#}
{% macro duckdb__point_in_time_join(spine, entity_keys, cutoff, sources, strict, as_of) %}
    {%- set specs = sqltrain._pit_sources(sources, entity_keys, strict) -%}
    {%- set n = entity_keys | length -%}
    {%- set winners = [] -%}
    {%- set bare = [] -%}
    {%- for s in specs -%}
        {%- do bare.append(not s.known_at and sqltrain._pit_ties_impossible(s.relation, s.key_cols, s.event_ts)) -%}
    {%- endfor -%}
with
{%- for s in specs %}
    {%- set i = loop.index0 %}
    {%- set ev = "__sqltrain_ev + interval '1 microsecond'" if s.strict else '__sqltrain_ev' %}
    {%- set order = sqltrain._pit_order(s, known_at=s.known_at is not none) %}
{{ ',' if not loop.first }} __sqltrain_src{{ i }} as (
    {{ sqltrain._pit_source_rows(s, as_of) }}
)
    {%- if s.known_at or not bare[i] %}
, __sqltrain_feat{{ i }} as (
    {{ sqltrain._latest_row_duckdb_ranked('__sqltrain_src' ~ i, n, ev, order, [] if s.known_at else sqltrain._pit_payload(s),
                                           where=('__sqltrain_kn <= ' ~ ev) if s.known_at else none) }}
)
    {%- endif %}
    {%- if s.known_at %}
, __sqltrain_late{{ i }} as (
    {#- visible from greatest(event time, known_at), which is known_at on these rows: said in full, the
        bound on both times is plain to a reader of the compiled SQL (and to sqltrain check) #}
    {{ sqltrain._latest_row_duckdb_running('__sqltrain_src' ~ i, n, 'greatest(' ~ ev ~ ', __sqltrain_kn)', ev, order, '__sqltrain_kn > ' ~ ev) }}
)
    {%- set winner = sqltrain._greater_rank('__sqltrain_f' ~ i ~ '.__sqltrain_v', '__sqltrain_l' ~ i ~ '.__sqltrain_w') %}
    {%- set fields = {'ev': '(' ~ winner ~ ').__sqltrain_t' ~ (" - interval '1 microsecond'" if s.strict else ''), 'columns': []} %}
    {%- for c in s.columns %}
        {%- do fields.columns.append('(' ~ winner ~ ').__sqltrain_o' ~ (order[1:].index('__sqltrain_c' ~ loop.index0))) %}
    {%- endfor %}
    {%- do winners.append(fields) %}
    {%- else %}
    {%- do winners.append(none) %}
    {%- endif %}
{%- endfor %}
{%- set carried = [] -%}
{%- for s in specs[:-1] %}{% do carried.extend(s.columns) %}{% endfor -%}
{%- if carried | length < sqltrain._pit_narrow_columns() %}
    {%- for s in specs %}
        {%- set i = loop.index0 %}
        {%- if not loop.last %}
, __sqltrain_s{{ i }} as (
        {%- endif %}
select __sqltrain_spine.*{{ sqltrain._pit_winner_columns(specs, cutoff, winners=winners, only=i) }}
from {{ spine if loop.first else '__sqltrain_s' ~ (i - 1) }} as __sqltrain_spine
{{ sqltrain._pit_duckdb_asof_joins(s, i, bare[i], '__sqltrain_spine', entity_keys, '__sqltrain_spine.' ~ cutoff) }}
        {%- if not loop.last %}
)
        {%- endif %}
    {%- endfor %}
{%- else %}
, __sqltrain_pairs as (
    {{ sqltrain._spine_pairs(spine, entity_keys, cutoff) }}
)
    {%- set pair_keys = [] -%}
    {%- for j in range(n) %}{% do pair_keys.append('__sqltrain_k' ~ j) %}{% endfor -%}
    {%- for s in specs %}
        {%- set i = loop.index0 %}
        {%- set w = winners[i] %}
, __sqltrain_at{{ i }} as (
    select {{ sqltrain._key_list(n, '__sqltrain_p') }}, __sqltrain_p.__sqltrain_t,
        {{ w.ev if w else '__sqltrain_f' ~ i ~ '.__sqltrain_ev' }} as __sqltrain_ev
        {%- for c in s.columns %},
        {{ w.columns[loop.index0] if w else '__sqltrain_f' ~ i ~ '.__sqltrain_c' ~ loop.index0 }} as __sqltrain_c{{ loop.index0 }}
        {%- endfor %}
    from __sqltrain_pairs as __sqltrain_p
    {{ sqltrain._pit_duckdb_asof_joins(s, i, bare[i], '__sqltrain_p', pair_keys, '__sqltrain_p.__sqltrain_t') }}
)
    {%- endfor %}
{{ sqltrain._pit_from_pairs(spine, specs, entity_keys, cutoff, '__sqltrain_at') }}
{%- endif %}
{% endmacro %}


{#- Brought columns of every source but the last from which point_in_time_join joins each source to
    the spine's (keys, cutoff) pairs rather than chaining its ASOF JOINs on the spine: measured on
    DuckDB 2.0 (docs/macros.md#many-sources), the chain is faster up to about ten carried columns at
    17k spine rows and the pairs from about forty. -#}
{% macro _pit_narrow_columns() %}{{ return(32) }}{% endmacro %}


{#- The ASOF JOIN(s) of source `i` (joined as __sqltrain_f<i>, and __sqltrain_l<i> with known_at) to
    the relation aliased `probe`, whose key columns are `probe_keys` and whose cutoff is `t`: the
    spine itself for one source, the spine's distinct (keys, cutoff) pairs for several. -#}
{% macro _pit_duckdb_asof_joins(s, i, bare, probe, probe_keys, t) -%}
    {%- set f = '__sqltrain_f' ~ i -%}
    {%- if bare -%}
asof left join __sqltrain_src{{ i }} as {{ f }}
    on {{ sqltrain._spine_keys_equal(probe_keys, probe, f) }}
    and {{ t }} {{ '>' if s.strict else '>=' }} {{ f }}.__sqltrain_ev
    {%- else -%}
asof left join __sqltrain_feat{{ i }} as {{ f }}
    on {{ sqltrain._spine_keys_equal(probe_keys, probe, f) }}
    and {{ sqltrain._rank_struct_asof(t, sqltrain._pit_order(s, known_at=s.known_at is not none), f) }}
    {%- endif %}
    {%- if s.known_at %}
asof left join __sqltrain_late{{ i }} as __sqltrain_l{{ i }}
    on {{ sqltrain._spine_keys_equal(probe_keys, probe, '__sqltrain_l' ~ i) }}
    and {{ t }} >= __sqltrain_l{{ i }}.__sqltrain_v
    {%- endif %}
{%- endmacro %}


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
    every other visible one is older. -#}
{% macro spark__point_in_time_join(spine, entity_keys, cutoff, sources, strict, as_of) %}
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
{{ sqltrain._pit_from_pairs(spine, specs, entity_keys, cutoff, '__sqltrain_feat') }}
{% endmacro %}


{#- The spine with the brought columns of each source's winner, read from the per-source relations
    ``computed ~ i`` computed on the spine's (keys, cutoff) pairs. -#}
{% macro _pit_from_pairs(spine, specs, entity_keys, cutoff, computed, ttl=true) -%}
select __sqltrain_spine.*{{ sqltrain._pit_winner_columns(specs, cutoff, ttl=ttl) }}
from {{ spine }} as __sqltrain_spine
{%- for s in specs %}
{{ sqltrain._join_pairs(computed ~ loop.index0, '__sqltrain_f' ~ loop.index0, entity_keys, cutoff) }}
{%- endfor %}
{%- endmacro %}


{#- The brought columns of each source's winner (joined as __sqltrain_f<i>), renamed. With
    ttl=true a winner older than cutoff - ttl gives NULL (if the latest visible event is too old,
    every other one is older); default__ has the ttl in its visibility predicate instead.
    `winners`, when given, has per source either none or {'ev': expression, 'columns': [expression
    per brought column]} for a winner that is not the columns of __sqltrain_f<i>. `only`, when
    given, is the index of the one source whose columns are wanted. -#}
{% macro _pit_winner_columns(specs, cutoff, ttl=true, winners=none, only=none) %}
    {%- for s in specs %}{% set i = loop.index0 %}{% if only is none or i == only %}
    {%- set w = winners[i] if winners else none %}
    {%- set ev = w.ev if w else '__sqltrain_f' ~ i ~ '.__sqltrain_ev' %}
    {%- for c in s.columns %},
    {% set value = w.columns[loop.index0] if w else '__sqltrain_f' ~ i ~ '.__sqltrain_c' ~ loop.index0 -%}
    {% if ttl and s.ttl -%}
    case when {{ ev }} > __sqltrain_spine.{{ cutoff }} - {{ sqltrain.interval(s.ttl) }}
        then {{ value }} end
    {%- else -%}
    {{ value }}
    {%- endif %} as {{ s.prefix ~ c[1] }}
    {%- endfor %}{% endif %}{% endfor %}
{%- endmacro %}


{#- True when a test of the project proves that `relation` has at most one row per (keys, event
    time), so that no two rows can tie on the winner order's first column: a `unique` test on one
    of those columns, or a `unique_combination_of_columns` (dbt_utils) or `unique_combination`
    (`columns`) test on some of them, attached to the model, seed, snapshot or source that
    `relation` names (a ref() or source(), matched on its rendered name). Tests filtered by a
    `where` config or of severity warn prove nothing and are ignored. Read from `graph`, so only
    at execution time (at parse time nothing is proven). docs/macros.md#point_in_time_join. -#}
{% macro _pit_ties_impossible(relation, key_cols, event_ts) %}
    {%- if not execute or not graph or not graph.get('nodes') -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set wanted = (relation | string | trim | lower) -%}
    {%- set columns = [] -%}
    {%- for c in key_cols + [event_ts] %}{% do columns.append(sqltrain._pit_bare_name(c)) %}{% endfor -%}
    {%- set targets = [] -%}
    {%- for node in (graph.nodes.values() | list) + (graph.get('sources', {}).values() | list) -%}
        {%- if node.get('relation_name') and (node.relation_name | lower) == wanted -%}
            {%- do targets.append(node.unique_id) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not targets -%}
        {{ return(false) }}
    {%- endif -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'test' and node.get('test_metadata') -%}
        {%- set config = node.get('config') or {} -%}
        {%- set tested = node.get('depends_on', {}).get('nodes', []) | select('in', targets) | list -%}
        {%- if tested and not config.get('where') and (config.get('severity') or 'error') | lower != 'warn' -%}
            {%- set name = node.test_metadata.name -%}
            {%- set kwargs = node.test_metadata.get('kwargs') or {} -%}
            {%- set proven = [] -%}
            {%- if name == 'unique' and kwargs.get('column_name') -%}
                {%- do proven.append([kwargs.column_name]) -%}
            {%- elif name == 'unique_combination_of_columns' and kwargs.get('combination_of_columns') -%}
                {%- do proven.append(kwargs.combination_of_columns) -%}
            {%- elif name == 'unique_combination' and kwargs.get('columns') -%}
                {%- do proven.append(kwargs.columns) -%}
            {%- endif -%}
            {%- for group in proven -%}
                {%- set outside = [] -%}
                {%- for c in sqltrain._as_list(group) if sqltrain._pit_bare_name(c) not in columns %}{% do outside.append(c) %}{% endfor -%}
                {%- if not outside -%}
                    {{ return(true) }}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(false) }}
{% endmacro %}


{#- A column name as tests and sources write it, compared without quotes or case. -#}
{% macro _pit_bare_name(name) %}
    {{ return((name | string | trim | lower).strip('"`')) }}
{% endmacro %}
