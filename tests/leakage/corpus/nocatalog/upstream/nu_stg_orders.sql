-- staging: the source's rows as they land (no column list anywhere)
select * from {{ source('raw', 'orders') }}
