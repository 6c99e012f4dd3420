-- expect: LK006
select customer_id, count(*) as orders_30d
from {{ ref('orders') }}
where event_ts > now() - interval '30 days'
group by customer_id
