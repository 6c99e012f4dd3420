{{ config(enabled=project_name == "sqltrain") }}
-- Subscription events with the flags the features need.
select
    change_id,
    customer_id,
    event_ts,
    known_at,
    change_type,
    to_plan,
    case when change_type = 'downgrade' then 1 else 0 end as is_downgrade,
    case when change_type = 'cancel' then 0 else 1 end    as is_subscribed
from {{ ref('stg_plan_changes') }}
