{#- Generic test: the label's mean over labelled rows lies in [min, max] (either bound may be
    omitted). An empty or all-NULL label fails too: a rate cannot be checked on nothing.

      - sqltrain.label_rate_between:
          arguments: {label: churned_30d, min: 0.01, max: 0.3}
-#}
{% test label_rate_between(model, label, min=none, max=none) %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {{ return(adapter.dispatch('test_label_rate_between', 'sqltrain')(model, label, min, max)) }}
{% endtest %}

{% macro default__test_label_rate_between(model, label, min, max) %}
{%- if min is none and max is none -%}
    {%- do sqltrain._fail('label_rate_between', "needs `min`, `max` or both") -%}
{%- endif -%}
with rate as (
    select
        avg(cast({{ label }} as integer) * 1.0) as label_rate,
        count({{ label }}) as labelled_rows
    from {{ model }}
)
select *
from rate
where label_rate is null
    {% if min is not none %}or label_rate < {{ min | float }}{% endif %}
    {% if max is not none %}or label_rate > {{ max | float }}{% endif %}
{% endmacro %}
