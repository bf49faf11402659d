UNWIND $iris AS iri
MATCH (n:Entity {iri: iri})
WHERE NOT ()-->(n)
DETACH DELETE n
