MATCH (n:Entity) WHERE n.source = $source RETURN count(n) AS n
