-- expect: clean
-- note: held-out batch 2, written without running the analyser first
with c as (select customer_id, to_plan, greatest(event_ts, known_at) as visible_at from {{ ref('plan_changes') }})
select s.customer_id, s.as_of_ts, c.to_plan from {{ ref('spine') }} as s
asof join c on s.customer_id = c.customer_id and c.visible_at <= s.as_of_ts
