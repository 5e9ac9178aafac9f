select k from (values (1), (2), (3)) as a(k)
except
select k from (values (2)) as b(k)
intersect
select k from (values (1), (2)) as c(k)
