// Data elements tied to department $dept: designated to it, carried by an item of a resource it
// provides, or needed by a responsibility it implements (graph.neo4j_engine intersects this with
// used_elements).
MATCH (e:DataElement)-[:AUTHORITATIVE_DEPARTMENT]->(d:Entity {iri: $dept})
RETURN e.iri AS iri
UNION
MATCH (e:DataElement)<-[:CARRIES]-()-[:IN_RESOURCE]->()-[:PROVIDER]->(d:Entity {iri: $dept})
RETURN e.iri AS iri
UNION
MATCH (e:DataElement)<-[:NEEDS_ELEMENT]-()-[:IMPLEMENTED_BY]->(d:Entity {iri: $dept})
RETURN e.iri AS iri
