// For each IRI, the existing entities that point to it with relationship {type}.
UNWIND $iris AS iri
MATCH (a:Entity {iri: iri})<-[:{type}]-(b:Entity)
WHERE b.kind IS NOT NULL
RETURN DISTINCT iri AS s, b.iri AS o
