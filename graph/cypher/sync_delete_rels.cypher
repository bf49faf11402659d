UNWIND $rows AS row
MATCH (a:Entity {iri: $prefix + row.s})-[r:{type}]->(b:Entity {iri: $prefix + row.o})
WHERE r.source = $source
DELETE r
