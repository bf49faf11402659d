UNWIND $iris AS iri
MATCH (n:Entity {iri: iri})
REMOVE n:{labels}
SET n = {iri: iri}
