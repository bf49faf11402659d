UNWIND $rows AS row
MATCH (a:Entity {iri: $prefix + row.s})
MATCH (b:Entity {iri: $prefix + row.o})
CREATE (a)-[r:{type}]->(b)
SET r.source = $source
