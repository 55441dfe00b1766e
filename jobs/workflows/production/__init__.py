"""Multi-step productions (film/TV, advertising, social) run from ProductionWorkflow records."""
