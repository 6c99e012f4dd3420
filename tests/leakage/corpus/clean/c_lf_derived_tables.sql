-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select ex.customer_id, ex.label_ts, ex.segment, ex.churned, coalesce(f.minutes_28d, 0) as minutes_28d
from {{ ref('labelled_examples') }} as ex
left join (
    select e.customer_id, e.label_ts, sum(u.minutes) as minutes_28d
    from {{ ref('labelled_examples') }} as e
    join {{ ref('daily_usage') }} as u
      on u.customer_id = e.customer_id
     and u.usage_date < e.label_ts
     and u.usage_date >= e.label_ts - interval '28 days'
    group by e.customer_id, e.label_ts
) as f on f.customer_id = ex.customer_id and f.label_ts = ex.label_ts
