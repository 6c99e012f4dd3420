-- expect: clean
-- note: held-out batch 2, written without running the analyser first
with a as (select customer_id, event_ts, known_at, amount from {{ ref('orders') }}),
b as (select * from a where amount > 0),
c as (select s.customer_id, s.as_of_ts, b.amount from {{ ref('spine') }} as s join b on b.customer_id = s.customer_id
      and b.event_ts <= s.as_of_ts and b.known_at <= s.as_of_ts)
select customer_id, as_of_ts, sum(amount) as spend from c group by 1, 2
