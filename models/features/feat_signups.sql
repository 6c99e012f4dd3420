{{ config(enabled=project_name == "sqltrain") }}
-- First subscription of each customer: the population of the spine and the start of tenure.
select
    change_id,
    customer_id,
    event_ts,
    known_at,
    event_ts as signup_ts
from {{ ref('stg_plan_changes') }}
where change_type = 'signup'
