// Reports: CSV, SQLite, tables.
