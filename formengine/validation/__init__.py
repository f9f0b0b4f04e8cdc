"""Server-side validation helpers: string formats and custom JSON Schema keywords."""
