// Schema of the Yishu projection on Neo4j 5 (the deployment target). Run once per database,
// idempotent (IF NOT EXISTS). Lines with {label} are repeated for every entity label, lines
// with {type} for every relationship type (both from graph.neo4j_projection, never user input).
// The FalkorDB variant (test server) is schema.falkordb.cypher.
CREATE CONSTRAINT yishu_entity_iri IF NOT EXISTS FOR (n:Entity) REQUIRE n.iri IS UNIQUE;
CREATE INDEX yishu_entity_source IF NOT EXISTS FOR (n:Entity) ON (n.source);
CREATE INDEX yishu_entity_code IF NOT EXISTS FOR (n:Entity) ON (n.code);
CREATE INDEX yishu_{label}_code IF NOT EXISTS FOR (n:{label}) ON (n.code);
CREATE INDEX yishu_{label}_label IF NOT EXISTS FOR (n:{label}) ON (n.label);
CREATE INDEX yishu_rel_{type}_source IF NOT EXISTS FOR ()-[r:{type}]-() ON (r.source);
