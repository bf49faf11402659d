// DERIVED_FROM (s → t): t ys:derivedFrom s, both DataResources. {anchor} is s (downstream walk)
// or t (upstream walk), set by graph.neo4j_engine; $iris is one BFS level.
UNWIND $iris AS iri
MATCH ({anchor}:Entity {iri: iri})
MATCH (t:DataResource)-[:DERIVED_FROM]->(s:DataResource)
RETURN DISTINCT s.iri AS source, t.iri AS target, null AS via
