"""Document formats other than text and HTML: each reader gives the report's text (tables in
place, one row a line) and its tables as grids."""
