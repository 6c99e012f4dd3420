{#- Join a dbt snapshot (SCD2) as of each cutoff: the version with valid_from <= T < valid_to
    (docs/semantics.md §6), read as the snapshot stood at as_of. Arguments and examples: docs/macros.md.

    When versions of one entity overlap (not something dbt snapshots produce), the version that
    started last wins, and it counts only if it is still valid at T: the answer is always at most
    one version, so the spine never fans out. -#}

{% macro scd2_as_of_join(spine, entity_keys, cutoff, snapshot, columns, keys=none, prefix='',
                         valid_from='dbt_valid_from', valid_to='dbt_valid_to', as_of='var:as_of') %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set as_of = sqltrain._as_of_arg(as_of) -%}
    {%- set implementation = sqltrain._or_portable(adapter.dispatch('scd2_as_of_join', 'sqltrain')) -%}
    {{ return(implementation(spine, sqltrain._as_list(entity_keys), cutoff, snapshot,
        columns, keys, prefix, valid_from, valid_to, as_of)) }}
{% endmacro %}


{#- Versions known at as_of: those that started after it are never read; an end after it had not
    happened yet, so the version is open. -#}
{% macro _scd2_versions(snapshot, key_cols, specs, valid_from, valid_to, as_of) -%}
    select {{ sqltrain._select_keys(key_cols) }},
        {{ valid_from }} as __sqltrain_vf,
        {%- if as_of is none %}
        {{ valid_to }} as __sqltrain_vt
        {%- else %}
        case when {{ valid_to }} <= {{ sqltrain.as_of_literal(as_of) }} then {{ valid_to }} end as __sqltrain_vt
        {%- endif %}
        {%- for c in specs %}, {{ c[0] }} as __sqltrain_c{{ loop.index0 }}{% endfor %}
    from {{ snapshot }}
    where {{ sqltrain._not_null(key_cols) }} and {{ valid_from }} is not null
    {%- if as_of is not none %} and {{ valid_from }} <= {{ sqltrain.as_of_literal(as_of) }}{% endif %}
{%- endmacro %}


{#- Greatest valid_from wins, then the open (or later-ending) version, then the columns. The
    end is encoded as "open first" by ranking a NULL valid_to above any date. -#}
{% macro _scd2_order(specs) %}
    {%- set order = ['__sqltrain_vf', '__sqltrain_open', '__sqltrain_vt'] -%}
    {%- for c in specs %}{% do order.append('__sqltrain_c' ~ loop.index0) %}{% endfor -%}
    {{ return(order) }}
{% endmacro %}


{% macro _scd2_payload(specs) %}
    {%- set payload = ['__sqltrain_vt'] -%}
    {%- for c in specs %}{% do payload.append('__sqltrain_c' ~ loop.index0) %}{% endfor -%}
    {{ return(payload) }}
{% endmacro %}


{% macro _scd2_select(spine, entity_keys, cutoff, specs, prefix, feat, join_kind, join_on) -%}
select __sqltrain_spine.*
    {%- for c in specs %},
    case when __sqltrain_f.__sqltrain_vt is null or __sqltrain_spine.{{ cutoff }} < __sqltrain_f.__sqltrain_vt
        then __sqltrain_f.__sqltrain_c{{ loop.index0 }} end as {{ prefix ~ c[1] }}
    {%- endfor %}
from {{ spine }} as __sqltrain_spine
{{ join_kind }} {{ feat }} as __sqltrain_f
    on {{ sqltrain._spine_keys_equal(entity_keys, '__sqltrain_spine', '__sqltrain_f') }}
    and {{ join_on }}
{%- endmacro %}


{% macro default__scd2_as_of_join(spine, entity_keys, cutoff, snapshot, columns, keys, prefix, valid_from, valid_to, as_of) %}
    {%- set specs = sqltrain._column_specs(columns, 'scd2_as_of_join snapshot ' ~ snapshot) -%}
    {%- set key_cols = sqltrain._source_keys(keys, entity_keys, 'scd2_as_of_join snapshot ' ~ snapshot) -%}
    {%- set n = entity_keys | length -%}
with __sqltrain_pairs as (
    {{ sqltrain._spine_pairs(spine, entity_keys, cutoff) }}
)
, __sqltrain_versions as (
    select *, case when __sqltrain_vt is null then 1 else 0 end as __sqltrain_open
    from ({{ sqltrain._scd2_versions(snapshot, key_cols, specs, valid_from, valid_to, as_of) }}) as __sqltrain_v
)
, __sqltrain_current as (
    {{ sqltrain._latest_row_portable('__sqltrain_pairs', '__sqltrain_versions', n, 's.__sqltrain_vf <= p.__sqltrain_t',
        sqltrain._scd2_order(specs), sqltrain._scd2_payload(specs)) }}
)
{{ sqltrain._scd2_select(spine, entity_keys, cutoff, specs, prefix, '__sqltrain_current', 'left join',
    '__sqltrain_spine.' ~ cutoff ~ ' = __sqltrain_f.__sqltrain_t') }}
{% endmacro %}


{#- DuckDB: one ASOF JOIN on the version ranking (valid_from first; see _latest_row_duckdb_ranked). -#}
{% macro duckdb__scd2_as_of_join(spine, entity_keys, cutoff, snapshot, columns, keys, prefix, valid_from, valid_to, as_of) %}
    {%- set specs = sqltrain._column_specs(columns, 'scd2_as_of_join snapshot ' ~ snapshot) -%}
    {%- set key_cols = sqltrain._source_keys(keys, entity_keys, 'scd2_as_of_join snapshot ' ~ snapshot) -%}
    {%- set n = entity_keys | length -%}
with __sqltrain_versions as (
    select *, case when __sqltrain_vt is null then 1 else 0 end as __sqltrain_open
    from ({{ sqltrain._scd2_versions(snapshot, key_cols, specs, valid_from, valid_to, as_of) }}) as __sqltrain_v
)
, __sqltrain_current as (
    {{ sqltrain._latest_row_duckdb_ranked('__sqltrain_versions', n, '__sqltrain_vf', sqltrain._scd2_order(specs), sqltrain._scd2_payload(specs)) }}
)
{{ sqltrain._scd2_select(spine, entity_keys, cutoff, specs, prefix, '__sqltrain_current', 'asof left join',
    sqltrain._rank_struct_asof('__sqltrain_spine.' ~ cutoff, sqltrain._scd2_order(specs), '__sqltrain_f')) }}
{% endmacro %}
