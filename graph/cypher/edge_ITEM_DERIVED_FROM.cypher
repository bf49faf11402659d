// ITEM_DERIVED_FROM (s → t): item t is taken from resource r (ys:takenFrom); its upstream items s
// are the items of r carrying the same data element, else (t carries none, or no item of r
// carries it) the items of r with the same name. Pattern predicates in WHERE: Neo4j 5 and
// FalkorDB both accept them (FalkorDB has no EXISTS { } subqueries).
UNWIND $iris AS iri
MATCH ({anchor}:Entity {iri: iri})
MATCH (t:InformationItem)-[:TAKEN_FROM]->(r)<-[:IN_RESOURCE]-(s:InformationItem)
WHERE (t)-[:CARRIES]->()<-[:CARRIES]-(s)
   OR (t.label = s.label AND NOT (t)-[:CARRIES]->()<-[:CARRIES]-()-[:IN_RESOURCE]->(r))
RETURN DISTINCT s.iri AS source, t.iri AS target, null AS via
