"""Reviewer feedback as a checklist: instructions parsed from the words, applied by the built-in
writers, and checked against the next revision's text.

`checklist` (the read side, which needs the database) is imported on its own.
"""

from .checks import Check, check_instruction
from .edits import apply_instructions, clean_title, remove_matching
from .instructions import Instruction, parse_feedback

__all__ = [
    "Check",
    "Instruction",
    "apply_instructions",
    "check_instruction",
    "clean_title",
    "parse_feedback",
    "remove_matching",
]
