// Data elements carried by an item or needed by a responsibility (raw subjects, as in RDF).
MATCH (e:DataElement)
WHERE ()-[:CARRIES]->(e) OR ()-[:NEEDS_ELEMENT]->(e)
RETURN e.iri AS iri
