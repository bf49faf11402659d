// PROVIDES (s → t): resource t ys:provider department s.
UNWIND $iris AS iri
MATCH ({anchor}:Entity {iri: iri})
MATCH (t:DataResource)-[:PROVIDER]->(s:Department)
RETURN DISTINCT s.iri AS source, t.iri AS target, null AS via
