"""The client dashboard, the reviewer queue and their live partials."""
