-- expect: LK012
select customer_id, amount as last_amount
from (
    select customer_id, amount,
           row_number() over (partition by customer_id order by event_ts desc) as rn
    from {{ ref('orders') }}
) as ranked
where rn = 1
