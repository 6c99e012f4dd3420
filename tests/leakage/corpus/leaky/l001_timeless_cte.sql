-- expect: LK001
with amounts as (
    select customer_id, amount from {{ ref('orders') }}
)
select s.customer_id, s.as_of_ts, sum(a.amount) as spend
from {{ ref('spine') }} as s
left join amounts as a on a.customer_id = s.customer_id
group by 1, 2
