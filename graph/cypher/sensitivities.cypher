// Own 敏感级别 of a batch of resources and items, and for items their resource's.
UNWIND $iris AS iri
MATCH (n:Entity {iri: iri})
WHERE n.kind IN ['resource', 'item']
OPTIONAL MATCH (n)-[:IN_RESOURCE]->(r:Entity)
RETURN n.iri AS iri, n.sensitivity AS own,
       CASE WHEN n.kind = 'item' THEN r.sensitivity ELSE null END AS inherited
