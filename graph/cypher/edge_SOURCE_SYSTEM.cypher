// SOURCE_SYSTEM (s → t): resource t ys:sourceSystem system s (flows' ys:sourceSystem excluded).
UNWIND $iris AS iri
MATCH ({anchor}:Entity {iri: iri})
MATCH (t:DataResource)-[:SOURCE_SYSTEM]->(s:InformationSystem)
RETURN DISTINCT s.iri AS source, t.iri AS target, null AS via
