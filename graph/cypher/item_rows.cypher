// What the one-source logic needs about a batch of information items.
UNWIND $iris AS iri
MATCH (i:InformationItem {iri: iri})
OPTIONAL MATCH (i)-[:IN_RESOURCE]->(r:Entity)
RETURN i.iri AS item, i.inResource AS resource, i.carries AS element,
       coalesce(i.authoritative, false) AS authoritative, i.takenFrom AS taken_from,
       r.provider AS provider
