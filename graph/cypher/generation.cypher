// The projection's generation token: a random value the projection writes (bump_generation)
// whenever it changes anything; the engine binds it into every cursor (stale cursors refused)
// and into its caches. No row: a projection written before the token existed, or emptied.
MATCH (m:YishuGeneration)
RETURN m.token AS token
