{{ config(enabled=project_name == "sqltrain") }}
select
    cast(change_id as bigint)     as change_id,
    cast(customer_id as bigint)   as customer_id,
    cast(changed_at as timestamp) as event_ts,
    cast(_loaded_at as timestamp) as known_at,
    change_type,
    from_plan,
    to_plan
from {{ source('raw', 'plan_changes') }}
