-- expect: clean
with stats as (
    select as_of_ts, avg(orders_90d) as mean_orders
    from {{ ref('order_features') }}
    group by as_of_ts
)
select f.customer_id, f.as_of_ts, f.orders_90d - st.mean_orders as orders_vs_mean
from {{ ref('order_features') }} as f
join stats as st on st.as_of_ts = f.as_of_ts
