-- Failing fixture (spine_preserved): a join on the entity alone repeats each example per event.
select s.customer_id, s.as_of_ts, e.amount
from {{ ref('it_spine') }} as s
left join {{ ref('it_events') }} as e on e.customer_id = s.customer_id
