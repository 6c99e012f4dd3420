-- expect: LK003
-- note: held-out batch, written without running the analyser first
select session_id, customer_id, event_ts, known_at,
count(distinct session_id) over (partition by customer_id) as sessions_ever from {{ ref('sessions') }}
