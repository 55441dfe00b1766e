"""The engine: jobs, their lifecycle, queues, workflows, providers and the planner."""
