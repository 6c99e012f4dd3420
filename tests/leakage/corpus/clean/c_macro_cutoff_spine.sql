-- expect: clean
-- meta: {kind: spine, entity: [customer_id], cutoff: as_of_ts}
{{ sqltrain.cutoff_spine(
    entities=ref('plan_changes'), entity_keys=['customer_id'], start='2024-01-01', end='2025-10-01',
    every='month', cutoff='as_of_ts', valid_from='event_ts', known_at='known_at') }}
