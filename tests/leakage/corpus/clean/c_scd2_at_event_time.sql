-- expect: clean
select o.order_id, o.customer_id, o.event_ts, o.known_at, c.country as country_at_order
from {{ ref('orders') }} as o
left join {{ ref('customers_snapshot') }} as c
  on c.customer_id = o.customer_id
 and c.dbt_valid_from <= o.event_ts
 and (c.dbt_valid_to > o.event_ts or c.dbt_valid_to is null)
