// OBSERVED_DERIVED_FROM (s → t): a completed run was seen reading a dataset of s and writing one
// of t (projected by Neo4jProjection.sync_observed from graph.observed, pointing t → s).
UNWIND $iris AS iri
MATCH ({anchor}:Entity {iri: iri})
MATCH (t:DataResource)-[:OBSERVED_DERIVED_FROM]->(s:DataResource)
RETURN DISTINCT s.iri AS source, t.iri AS target, null AS via
