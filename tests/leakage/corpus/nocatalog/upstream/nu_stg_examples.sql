select * from {{ source('raw', 'examples') }}
