-- expect: clean
-- meta: {kind: spine, entity: [customer_id], cutoff: as_of_ts}
select distinct p.customer_id, m.as_of_ts
from {{ ref('plan_changes') }} as p
cross join {{ ref('month_starts') }} as m
where p.change_type = 'signup' and p.event_ts <= m.as_of_ts and p.known_at <= m.as_of_ts
