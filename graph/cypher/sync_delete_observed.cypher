MATCH ()-[r:{type}]->() WHERE r.source = $source
WITH r LIMIT $limit
DELETE r
RETURN count(*) AS n
