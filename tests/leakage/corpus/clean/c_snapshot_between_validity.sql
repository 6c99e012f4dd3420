-- expect: clean
select s.customer_id, s.as_of_ts, c.status as status_at_cutoff
from {{ ref('spine') }} as s
join {{ ref('customers_snapshot') }} as c
  on c.customer_id = s.customer_id
 and s.as_of_ts >= c.dbt_valid_from
 and s.as_of_ts < coalesce(c.dbt_valid_to, cast('9999-12-31' as timestamp))
