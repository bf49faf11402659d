MATCH ()-[r:{type}]->() WHERE r.source = $source RETURN count(r) AS n
