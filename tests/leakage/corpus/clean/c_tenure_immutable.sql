-- expect: clean
select s.customer_id, s.as_of_ts, s.as_of_ts - c.signup_at as tenure
from {{ ref('spine') }} as s
left join {{ ref('customers') }} as c on c.customer_id = s.customer_id
where c.signup_at <= s.as_of_ts
