-- expect: clean
-- meta: {kind: spine, entity: [customer_id], cutoff: as_of_ts}
select c.customer_id, m.as_of_ts
from {{ ref('customers_snapshot') }} as c
join {{ ref('month_starts') }} as m
  on c.dbt_valid_from <= m.as_of_ts
 and m.as_of_ts < coalesce(c.dbt_valid_to, cast('9999-12-31' as timestamp))
where c.status = 'active'
