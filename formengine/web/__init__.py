"""Web layer: thin blueprints over the pure cores."""
