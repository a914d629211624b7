"""Getting bytes from the web, politely and safely: HTTP client, robots.txt, discovery, raw store."""
