"""A speech engine that cannot read one word: the "a step fails permanently" scenario's fault.

The workers run with a folder first on their PATH holding an `espeak-ng` that hands every
call to the real one, except a narration containing MARKER: that one fails the way espeak-ng
fails on input it cannot read (exit 1, a reason on stderr), on every attempt. So the fault is
deterministic and belongs to a job's own input, as a word the voice has no pronunciation for
would, and jobs whose narration lacks the word speak as usual.
"""

from __future__ import annotations

import os
import shlex
import shutil
from pathlib import Path

# A word no demo input or generated text contains.
MARKER = "Quuxbrew"

# Three scenes; only the second one's narration holds the word, so its siblings (the other
# scenes' speech and images, the music) run beside it and the timeline and render wait on it.
TREATMENT = f"""# Cold brew launch: a 30-second spot

Tone: friendly
Audience: busy commuters

## Scene 1: Hook (0:00-0:05)
Visual: Close-up of ice dropping into a glass of cold brew.
VO: Mornings move fast. Your coffee should keep up.

## Scene 2: The product (0:05-0:18)
Visual: A barista pours cold brew over ice at the counter.
VO: Steeped for eighteen hours, the {MARKER} way: smooth, never bitter.

## Scene 3: Call to action (0:18-0:30)
Visual: The Northwind logo on a warm brown background.
VO: Find it in every Northwind cafe from Monday.
Music: light acoustic guitar
"""

# What the voice job's script is about: its narration says the topic.
VOICE_TOPIC = f"How the {MARKER} booking app works"

_SCRIPT = """#!/bin/sh
# chaos/broken_speech.py: the real espeak-ng, except for a text holding the marker word.
text=""
previous=""
for argument in "$@"; do
  if [ "$previous" = "-f" ]; then text="$argument"; fi
  previous="$argument"
done
if [ -n "$text" ] && grep -qiF {marker} "$text"; then
  echo {reason} >&2
  exit 1
fi
exec {real} "$@"
"""


def install(folder: Path, path: str) -> dict[str, str] | None:
    """Write the wrapper into `folder`; the environment that puts it first on `path` (a
    worker's PATH), or None when no espeak-ng is on it to wrap (narration is skipped there)."""
    real = shutil.which("espeak-ng", path=path)
    if real is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "espeak-ng"
    reason = f"no pronunciation for the word “{MARKER}” in this voice's dictionary"
    script.write_text(
        _SCRIPT.format(
            marker=shlex.quote(MARKER), reason=shlex.quote(reason), real=shlex.quote(real)
        ),
        encoding="utf-8",
    )
    script.chmod(0o755)
    return {"PATH": f"{folder}{os.pathsep}{path}"}
