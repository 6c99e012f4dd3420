{#- Generic test: every example's label window (cutoff, cutoff + horizon] ends at or before
    var('as_of'), so no label was read before it could be known. Fails with the immature examples.

      - sqltrain.label_mature:
          arguments: {cutoff: as_of_ts, horizon: 30 days}
-#}
{% test label_mature(model, cutoff, horizon, as_of=none) %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {{ return(adapter.dispatch('test_label_mature', 'sqltrain')(model, cutoff, horizon, as_of)) }}
{% endtest %}

{% macro default__test_label_mature(model, cutoff, horizon, as_of) %}
select *
from {{ model }}
where {{ cutoff }} + {{ sqltrain.interval(horizon) }} > {{ sqltrain.as_of_literal(as_of if as_of is not none else var('as_of')) }}
{% endmacro %}
