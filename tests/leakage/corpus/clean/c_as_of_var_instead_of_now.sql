-- expect: clean
select customer_id, count(*) as orders_30d
from {{ ref('orders') }}
where event_ts > cast('{{ var("as_of") }}' as timestamp) - interval '30 days'
  and event_ts <= cast('{{ var("as_of") }}' as timestamp)
  and known_at <= cast('{{ var("as_of") }}' as timestamp)
group by customer_id
