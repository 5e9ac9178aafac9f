select id, upper(greeting) as greeting
from {{ ref('my_first_model') }}
