// PRODUCES (s → t): responsibility s ys:produces resource t.
UNWIND $iris AS iri
MATCH ({anchor}:Entity {iri: iri})
MATCH (s:Responsibility)-[:PRODUCES]->(t:DataResource)
RETURN DISTINCT s.iri AS source, t.iri AS target, null AS via
