-- grain: asset_name
-- depends_on:
-- description: The assets an AI client may query, with their grain, primary key and description. Empty
--   until the semantic contract (semantic/contract) is materialised into it.
SELECT
    CAST(NULL AS TEXT) AS asset_name,
    CAST(NULL AS TEXT) AS grain,
    CAST(NULL AS TEXT) AS primary_key,
    CAST(NULL AS TEXT) AS description
WHERE 0
