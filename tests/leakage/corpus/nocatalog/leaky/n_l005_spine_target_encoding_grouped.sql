-- expect: LK005
-- why: channel_rate is the mean label of all the channel's examples, joined back onto each of them
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
with rates as (
    select channel, avg(churned_30d) as channel_rate from {{ source('raw', 'spine') }} group by channel
)
select s.customer_id, s.as_of_ts, s.channel, r.channel_rate, s.churned_30d
from {{ source('raw', 'spine') }} as s
join rates as r on r.channel = s.channel
