{#- Train / validation / test by cutoff time with an embargo gap (docs/semantics.md §9): an
    example goes to a split only if its cutoff plus the embargo is still before the next split
    starts, so no label window straddles two splits. Arguments and examples: docs/macros.md. -#}

{% macro temporal_split(relation, cutoff, valid_start, test_start, embargo, horizon=none,
                        split_column='split', drop_embargoed=true) %}
    {%- set gap = sqltrain._parse_interval(embargo, 'temporal_split embargo') -%}
    {%- if horizon is not none -%}
        {%- set h = sqltrain._parse_interval(horizon, 'temporal_split horizon') -%}
        {%- set long_enough = (gap.n >= h.n) if gap.unit == h.unit
                              else sqltrain._interval_seconds(embargo).min_seconds >= sqltrain._interval_seconds(horizon).seconds -%}
        {%- if not long_enough -%}
            {%- do sqltrain._fail('temporal_split', "embargo '" ~ embargo ~ "' is shorter than the label horizon '" ~ horizon ~ "' (or not surely as long); the labels of the last rows of a split would overlap the next one: set embargo >= horizon") -%}
        {%- endif -%}
    {%- endif -%}
    {%- if sqltrain._as_of_text(valid_start) > sqltrain._as_of_text(test_start) -%}
        {%- do sqltrain._fail('temporal_split', "valid_start " ~ valid_start ~ " is after test_start " ~ test_start ~ "; validation must come before test") -%}
    {%- endif -%}
    {%- set implementation = sqltrain._or_portable(adapter.dispatch('temporal_split', 'sqltrain')) -%}
    {{ return(implementation(relation, cutoff, valid_start, test_start, embargo,
        horizon, split_column, drop_embargoed)) }}
{% endmacro %}


{#- A CASE over the cutoff, on every adapter: nothing adapter-specific would be faster. -#}
{% macro default__temporal_split(relation, cutoff, valid_start, test_start, embargo, horizon, split_column, drop_embargoed) %}
    {%- set t = '__sqltrain_r.' ~ cutoff -%}
    {%- set gap = sqltrain.interval(embargo) -%}
    {%- set valid_ts = sqltrain.as_of_literal(valid_start) -%}
    {%- set test_ts = sqltrain.as_of_literal(test_start) -%}
    {%- set assigned -%}
select __sqltrain_r.*,
    case
        when {{ t }} + {{ gap }} <= {{ valid_ts }} then 'train'
        when {{ t }} >= {{ valid_ts }} and {{ t }} + {{ gap }} <= {{ test_ts }} then 'validation'
        when {{ t }} >= {{ test_ts }} then 'test'
        else 'embargo'
    end as {{ split_column }}
from {{ relation }} as __sqltrain_r
    {%- endset -%}
    {%- if drop_embargoed -%}
select * from (
{{ assigned }}
) as __sqltrain_split
where {{ split_column }} <> 'embargo'
    {%- else -%}
{{ assigned }}
    {%- endif %}
{% endmacro %}
