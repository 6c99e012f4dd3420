-- expect: LK001
select customer_id, as_of_ts, count(ticket_id) as tickets
from {{ ref('spine') }}
left join {{ ref('tickets') }} using (customer_id)
group by customer_id, as_of_ts
