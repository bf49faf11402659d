// Full entities for a batch of IRIs: nodes with a kind (bare :Entity stubs do not exist).
UNWIND $iris AS iri
MATCH (n:Entity {iri: iri})
WHERE n.kind IS NOT NULL
RETURN n.iri AS iri, properties(n) AS props
