// HAS_ITEM (s → t): item t ys:inResource resource s.
UNWIND $iris AS iri
MATCH ({anchor}:Entity {iri: iri})
MATCH (t:InformationItem)-[:IN_RESOURCE]->(s:DataResource)
RETURN DISTINCT s.iri AS source, t.iri AS target, null AS via
