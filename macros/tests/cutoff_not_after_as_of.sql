{#- Generic test: no example's cutoff is after var('as_of') (a snapshot as of D cannot hold an
    example observed after D). Fails with the examples past the as-of.

      columns:
        - name: as_of_ts
          data_tests: [sqltrain.cutoff_not_after_as_of]
-#}
{% test cutoff_not_after_as_of(model, column_name, as_of=none) %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {{ return(adapter.dispatch('test_cutoff_not_after_as_of', 'sqltrain')(model, column_name, as_of)) }}
{% endtest %}

{% macro default__test_cutoff_not_after_as_of(model, column_name, as_of) %}
select *
from {{ model }}
where {{ column_name }} > {{ sqltrain.as_of_literal(as_of if as_of is not none else var('as_of')) }}
{% endmacro %}
