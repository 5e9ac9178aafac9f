select id, name, 3 as total, 3 as three
from (select 1 as id, 'n' as name)