-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: active_next_7d, horizon: 7 days}
with spine as (select customer_id, as_of_ts from {{ ref('spine') }}),

logins_before as (
    select s.customer_id, s.as_of_ts, coalesce(sum(l.logins), 0) as logins_28d
    from spine as s
    left join {{ ref('daily_logins') }} as l
      on l.customer_id = s.customer_id
     and l.login_date < s.as_of_ts
     and l.login_date >= s.as_of_ts - interval '28 days'
    group by all
),

label as (
{{ sqltrain.label_window(
    spine='logins_before', entity_keys=['customer_id'], cutoff='as_of_ts', source=ref('daily_logins'),
    event_ts='login_date', horizon='7 days', label='active_next_7d') }}
)

select * from label
