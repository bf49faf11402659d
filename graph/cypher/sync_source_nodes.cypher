MATCH (n:Entity) WHERE n.source = $source
RETURN n.iri AS iri, properties(n) AS props, labels(n) AS labels
