{{ sqltrain.temporal_split(
    relation=ref('test_cutoff_spine__monthly'),
    cutoff='as_of_ts',
    valid_start='2025-01-01',
    test_start='2025-03-01',
    embargo='30 days',
    horizon='30 days',
    drop_embargoed=false,
) }}
