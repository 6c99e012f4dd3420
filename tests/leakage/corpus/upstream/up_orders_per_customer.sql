-- An all-history aggregate per customer: harmless alone, leaky once joined to a spine.
select customer_id, count(*) as orders_all_time, sum(amount) as amount_all_time
from {{ ref('orders') }}
group by customer_id
