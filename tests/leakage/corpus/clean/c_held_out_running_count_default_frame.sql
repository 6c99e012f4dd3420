-- expect: clean
-- note: held-out batch 2, written without running the analyser first
select session_id, customer_id, event_ts, known_at,
count(*) over (partition by customer_id order by event_ts) as sessions_so_far from {{ ref('sessions') }}
