MATCH (a:Entity)-[r:{type}]->(b:Entity) WHERE r.source = $source
RETURN a.iri AS s, b.iri AS o
