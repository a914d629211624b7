"""The DuckDB warehouse: schema migrations, the single-writer bulk load, trend SQL and data checks."""
