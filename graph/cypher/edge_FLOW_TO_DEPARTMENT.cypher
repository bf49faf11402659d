// FLOW_TO_DEPARTMENT (s → t via f): flow f ys:flowOf resource s, ys:targetDepartment t.
UNWIND $iris AS iri
MATCH ({anchor}:Entity {iri: iri})
MATCH (s:DataResource)<-[:FLOW_OF]-(f:Flow)-[:TARGET_DEPARTMENT]->(t:Department)
RETURN DISTINCT s.iri AS source, t.iri AS target, f.iri AS via
