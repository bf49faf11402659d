UNWIND $rows AS row
MERGE (n:Entity {iri: row.iri})
SET n = row, n:{label}
