// A new generation token for the projection (graph.neo4j_projection, after every write).
// YishuGeneration is no Entity label: no question of the engine ever meets the node.
MERGE (m:YishuGeneration {key: 'catalog'})
SET m.token = $token
RETURN m.token AS token
