-- expect: clean
select s.customer_id, s.as_of_ts, c.plan, c.country
from {{ ref('spine') }} as s
left join {{ ref('customers_snapshot') }} as c
  on c.customer_id = s.customer_id
 and c.dbt_valid_from <= s.as_of_ts
 and s.as_of_ts < coalesce(c.dbt_valid_to, cast('9999-12-31' as timestamp))
