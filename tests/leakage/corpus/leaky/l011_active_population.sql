-- expect: LK011
-- meta: {kind: spine, entity: [customer_id], cutoff: as_of_ts}
select c.customer_id, m.as_of_ts
from {{ ref('customers') }} as c
cross join {{ ref('month_starts') }} as m
where c.status = 'active'
