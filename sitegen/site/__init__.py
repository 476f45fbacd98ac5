"""What the site publishes: the route table, page contexts and renderers, charts, data files, Markdown, filters, assets and share cards."""
