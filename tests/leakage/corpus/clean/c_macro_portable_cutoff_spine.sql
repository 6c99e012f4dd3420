-- expect: clean
-- meta: {kind: spine, entity: [customer_id], cutoff: as_of_ts}
-- note: the portable implementation
{{ sqltrain.default__cutoff_spine(ref('plan_changes'), ['customer_id'], '2025-01-01', 'month', '2025-06-01',
    'as_of_ts', 'event_ts', none, 'known_at') }}
