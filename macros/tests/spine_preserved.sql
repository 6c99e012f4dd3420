{#- Generic test: the training set has exactly the spine's examples — the same multiset of keys,
    duplicates included (spine in = spine out: no fan-out, no silent dedup, no dropped rows).
    Fails with one row per key whose count differs between the spine and the training set.

      - sqltrain.spine_preserved:
          arguments: {spine: ref('spine_customer_monthly'), keys: [customer_id, as_of_ts]}

    `spine_keys` names the spine's columns when they differ, one per entry of `keys`, in order. -#}
{% test spine_preserved(model, spine, keys, spine_keys=none) %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {{ return(adapter.dispatch('test_spine_preserved', 'sqltrain')(model, spine, keys, spine_keys)) }}
{% endtest %}

{#- [the model's key columns, the spine's], checked. -#}
{% macro _spine_preserved_keys(keys, spine_keys) %}
{%- set keys = sqltrain._as_list(keys) -%}
{%- set theirs = sqltrain._as_list(spine_keys) if spine_keys is not none else keys -%}
{%- if keys | length == 0 or theirs | length != keys | length -%}
    {%- do sqltrain._fail('spine_preserved', "needs `keys` (and `spine_keys`, one per key, when the spine names them differently)") -%}
{%- endif -%}
{{ return([keys, theirs]) }}
{% endmacro %}

{% macro default__test_spine_preserved(model, spine, keys, spine_keys) %}
{%- set keys, theirs = sqltrain._spine_preserved_keys(keys, spine_keys) -%}
with training as (
    select {{ sqltrain._select_keys(keys) }}, count(*) as n_training
    from {{ model }}
    group by {% for k in keys %}{{ k }}{{ ', ' if not loop.last }}{% endfor %}
),
spine as (
    select {{ sqltrain._select_keys(theirs) }}, count(*) as n_spine
    from {{ spine }}
    group by {% for k in theirs %}{{ k }}{{ ', ' if not loop.last }}{% endfor %}
)
select
    {% for k in keys %}coalesce(t.__sqltrain_k{{ loop.index0 }}, s.__sqltrain_k{{ loop.index0 }}) as {{ k }},
    {% endfor %}coalesce(t.n_training, 0) as rows_in_training,
    coalesce(s.n_spine, 0) as rows_in_spine
from training as t
full outer join spine as s
    on {% for k in keys %}t.__sqltrain_k{{ loop.index0 }} is not distinct from s.__sqltrain_k{{ loop.index0 }}{{ ' and ' if not loop.last }}{% endfor %}
where coalesce(t.n_training, 0) <> coalesce(s.n_spine, 0)
{% endmacro %}


{#- PostgreSQL: a FULL JOIN needs an equality it can hash or merge, and `is not distinct from`
    (NULL keys match) is neither. The counts are stacked and grouped instead: GROUP BY puts NULL
    keys together, as the portable join's condition does. -#}
{% macro postgres__test_spine_preserved(model, spine, keys, spine_keys) %}
{%- set keys, theirs = sqltrain._spine_preserved_keys(keys, spine_keys) -%}
select
    {% for k in keys %}__sqltrain_k{{ loop.index0 }} as {{ k }},
    {% endfor %}sum(n_training) as rows_in_training,
    sum(n_spine) as rows_in_spine
from (
    select {{ sqltrain._select_keys(keys) }}, 1 as n_training, 0 as n_spine from {{ model }}
    union all
    select {{ sqltrain._select_keys(theirs) }}, 0 as n_training, 1 as n_spine from {{ spine }}
) as __sqltrain_counts
group by {{ sqltrain._key_list(keys | length) }}
having sum(n_training) <> sum(n_spine)
{% endmacro %}
