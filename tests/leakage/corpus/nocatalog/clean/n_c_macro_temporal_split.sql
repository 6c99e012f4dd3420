-- expect: clean
{{ sqltrain.temporal_split(relation=ref('nu_training'), cutoff='as_of_ts', valid_start='2025-06-01',
                           test_start='2025-09-01', embargo='30 days', horizon='30 days') }}
