// FLOW (s → t via f): flow f ys:flowOf resource s and ys:targetResource resource t.
UNWIND $iris AS iri
MATCH ({anchor}:Entity {iri: iri})
MATCH (s:DataResource)<-[:FLOW_OF]-(f:Flow)-[:TARGET_RESOURCE]->(t:DataResource)
RETURN DISTINCT s.iri AS source, t.iri AS target, f.iri AS via
