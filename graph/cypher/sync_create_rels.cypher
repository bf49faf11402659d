UNWIND $rows AS row
MERGE (a:Entity {iri: $prefix + row.s})
MERGE (b:Entity {iri: $prefix + row.o})
CREATE (a)-[r:{type}]->(b)
SET r.source = $source
