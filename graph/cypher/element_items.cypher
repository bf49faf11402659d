// Items carrying a data element; $elements (a list, or null for all) and $dept (a department
// IRI, or null) restrict them.
MATCH (i:InformationItem)
WHERE i.carries IS NOT NULL AND ($elements IS NULL OR i.carries IN $elements)
OPTIONAL MATCH (i)-[:IN_RESOURCE]->(r:Entity)
WITH i, r
WHERE $dept IS NULL OR r.provider = $dept
RETURN i.iri AS item, i.inResource AS resource, i.carries AS element,
       coalesce(i.authoritative, false) AS authoritative, i.takenFrom AS taken_from,
       r.provider AS provider
