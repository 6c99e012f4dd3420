{#- Rows (with multiplicity) in the model but not in `expected`, and the other way round. -#}
{% test equal_rows(model, expected) %}
with only_in_model as (
    select * from {{ model }}
    except all
    select * from {{ expected }}
),
only_in_expected as (
    select * from {{ expected }}
    except all
    select * from {{ model }}
)
select 'only in model' as side, * from only_in_model
union all
select 'only in expected' as side, * from only_in_expected
{% endtest %}
