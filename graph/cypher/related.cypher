// For each IRI, the existing entities it points to with relationship {type} (a constant of
// graph.neo4j_projection.REL_TYPES).
UNWIND $iris AS iri
MATCH (a:Entity {iri: iri})-[:{type}]->(b:Entity)
WHERE b.kind IS NOT NULL
RETURN DISTINCT iri AS s, b.iri AS o
