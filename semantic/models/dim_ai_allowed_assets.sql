-- grain: asset_name
-- depends_on:
-- incremental: skip
-- description: The assets chat tools may query (those the semantic contract allows for the `chat` role),
--   with grain, primary key, description, owning team, the allowed columns and every role that may read
--   each. The model creates the empty table; `readout build` and `readout demo` fill it from
--   semantic/contract/ right after the models are built.
SELECT
    CAST(NULL AS TEXT) AS asset_name,
    CAST(NULL AS TEXT) AS grain,
    CAST(NULL AS TEXT) AS primary_key,
    CAST(NULL AS TEXT) AS description,
    CAST(NULL AS TEXT) AS owner,
    CAST(NULL AS TEXT) AS column_names,
    CAST(NULL AS TEXT) AS roles
WHERE 1 = 0
