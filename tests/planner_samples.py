"""Sample treatments the planner tests share."""

from __future__ import annotations

# A 30-second spot in four scenes: two visuals, a chart and on-screen text, each with a voice-over.
FOUR_SCENES = """# Flux — 30-second spot
## Scene 1: Hook
Visual: A phone buzzes on a desk.
VO: Your inbox never sleeps.
## Scene 2: The problem
Visual: A marketer stares at a spreadsheet.
VO: Teams lose three hours a day to busywork.
## Scene 3: Proof
Chart: Hours saved
- Week 1: 2
- Week 2: 5
## Scene 4: Call to action
Text: Start free at flux.io
VO: Try Flux free today.
"""
