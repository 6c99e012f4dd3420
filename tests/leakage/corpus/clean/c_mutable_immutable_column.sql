-- expect: clean
select s.customer_id, s.as_of_ts, date_diff('day', c.signup_at, s.as_of_ts) as tenure_days
from {{ ref('spine') }} as s
join {{ ref('customers') }} as c on c.customer_id = s.customer_id
