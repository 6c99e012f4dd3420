-- expect: LK007
select s.customer_id, s.as_of_ts, c.plan
from {{ ref('spine') }} as s
left join {{ ref('customers_snapshot') }} as c
  on c.customer_id = s.customer_id and c.dbt_valid_from <= s.as_of_ts
