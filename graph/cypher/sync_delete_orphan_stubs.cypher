MATCH (n:Entity) WHERE n.source IS NULL AND NOT (n)--()
WITH n LIMIT $limit
DELETE n
RETURN count(*) AS n
