-- expect: clean
select customer_id, count(*) as orders_as_of_date
from {{ ref('orders') }}
where event_ts <= cast('{{ var("as_of") }}' as timestamp)
  and known_at <= cast('{{ var("as_of") }}' as timestamp)
group by customer_id
