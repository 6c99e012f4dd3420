{%- set cases = ['2025-12-01', '2025-12-01T06:00:00', '2025-12-01T06:00:00Z', '2025-12-01T06:00:00+02:00',
                 '2025-12-01 06:00:00-05:30', '2025-12-01T06:00:00.250000'] %}
{%- for text in cases %}
select
    '{{ text }}' as as_of_text,
    {{ sqltrain.as_of_literal(text) }} as as_of_utc
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
