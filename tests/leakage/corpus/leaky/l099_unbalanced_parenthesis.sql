-- expect: LK099
-- note: an unbalanced parenthesis: the model is reported as not analysed, the others are still checked
select customer_id, count(*) as orders
from {{ ref('orders') }}
where (event_ts <= cast('{{ var("as_of") }}' as timestamp)
group by customer_id
