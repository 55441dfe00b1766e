"""The REST API under /api/v1/ and the seed-shaped routes, over the jobs services and selectors."""
