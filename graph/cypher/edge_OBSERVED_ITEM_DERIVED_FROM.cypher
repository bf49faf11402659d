// OBSERVED_ITEM_DERIVED_FROM (s → t): columnLineage showed item t's field derived from item s's
// (projected by Neo4jProjection.sync_observed from graph.observed, pointing t → s).
UNWIND $iris AS iri
MATCH ({anchor}:Entity {iri: iri})
MATCH (t:InformationItem)-[:OBSERVED_ITEM_DERIVED_FROM]->(s:InformationItem)
RETURN DISTINCT s.iri AS source, t.iri AS target, null AS via
