-- Failing fixture (spine_preserved): DISTINCT silently drops the spine's duplicate examples.
select distinct customer_id, as_of_ts from {{ ref('it_spine') }}
