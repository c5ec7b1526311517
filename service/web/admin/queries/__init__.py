"""Dashboard queries: each aggregates in SQL and takes `now=` so tests can fix the clock."""
