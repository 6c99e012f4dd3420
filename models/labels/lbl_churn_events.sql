{{ config(enabled=project_name == "sqltrain") }}
-- Cancellations: the events the churn label looks for in each example's horizon.
select
    change_id,
    customer_id,
    event_ts,
    known_at
from {{ ref('stg_plan_changes') }}
where change_type = 'cancel'
