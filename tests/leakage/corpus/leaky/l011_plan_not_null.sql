-- expect: LK011
select s.customer_id, s.as_of_ts
from {{ ref('spine') }} as s
join {{ ref('customers') }} as c on c.customer_id = s.customer_id
where c.plan is not null
