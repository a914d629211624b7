"""Pure functions from raw HTML to articles, entities and relevance: no network, no database."""
