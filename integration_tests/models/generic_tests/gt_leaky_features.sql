-- Failing fixture (no_reads_after_cutoff): hand-written features that read past the cutoff.
select
    s.customer_id,
    s.as_of_ts,
    -- counts orders after the cutoff too (no upper bound) and ignores when they landed
    (select count(*) from {{ ref('it_events') }} as e
      where e.customer_id = s.customer_id and e.status = 'completed'
        and e.event_ts > s.as_of_ts - interval '30 days') as orders_count_30d,
    -- the latest amount by event time, ignoring known_at (an order recorded late is seen early)
    (select e.amount from {{ ref('it_events') }} as e
      where e.customer_id = s.customer_id and e.event_ts <= s.as_of_ts
        and e.event_ts > s.as_of_ts - interval '30 days'
      order by e.event_ts desc, e.event_id desc limit 1) as last_amount
from {{ ref('it_spine') }} as s
