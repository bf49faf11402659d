// Schema of the Yishu projection on FalkorDB (the Bolt server of the tests and benchmarks).
// FalkorDB has no CREATE CONSTRAINT in Cypher (uniqueness constraints are the Redis command
// GRAPH.CONSTRAINT, not reachable over Bolt) and no IF NOT EXISTS: an index that exists already
// is reported as an error, which graph.neo4j_projection ignores. Uniqueness of n.iri holds
// because every write MERGEs on it. Placeholders as in schema.neo4j.cypher.
CREATE INDEX FOR (n:Entity) ON (n.iri);
CREATE INDEX FOR (n:Entity) ON (n.source);
CREATE INDEX FOR (n:Entity) ON (n.code);
CREATE INDEX FOR (n:{label}) ON (n.code);
CREATE INDEX FOR (n:{label}) ON (n.label);
CREATE INDEX FOR ()-[r:{type}]-() ON (r.source);
