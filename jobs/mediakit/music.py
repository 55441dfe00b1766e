"""A synthesised music bed: a chord progression per mood, soft pads, bass and a light pulse."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .wav import write_wav

TARGET_DBFS = -18.0  # sits under narration, which espeak-ng delivers around -14 dBFS
PEAK_CEILING = 0.89  # -1 dBFS
MAX_SECONDS = 3600.0
TABLE_SIZE = 4096

MAJOR, MINOR, MAJ7, MIN7, SUS2 = (0, 4, 7), (0, 3, 7), (0, 4, 7, 11), (0, 3, 7, 10), (0, 2, 7)


@dataclass(frozen=True)
class Mood:
    """How a mood sounds: key, progression (root offset, chord shape), tempo and texture."""

    key: int  # MIDI note of the tonic
    progression: tuple[tuple[int, tuple[int, ...]], ...]
    tempo: int
    beats_per_chord: int
    bass_per_beat: float  # 0.5 = half notes, 2 = eighths
    pulse: bool
    arpeggio: bool


MOODS: dict[str, Mood] = {
    "upbeat": Mood(60, ((0, MAJOR), (7, MAJOR), (9, MINOR), (5, MAJOR)), 112, 4, 2, True, True),
    "corporate": Mood(62, ((0, MAJ7), (9, MIN7), (5, MAJ7), (7, SUS2)), 100, 4, 1, True, False),
    "calm": Mood(65, ((0, MAJ7), (9, MIN7), (5, MAJ7), (7, SUS2)), 72, 8, 0.5, False, False),
    "inspiring": Mood(67, ((9, MINOR), (5, MAJOR), (0, MAJOR), (7, MAJOR)), 96, 4, 1, False, True),
    "dramatic": Mood(57, ((0, MINOR), (8, MAJOR), (3, MAJOR), (10, MAJOR)), 84, 4, 1, True, False),
    "playful": Mood(60, ((0, MAJOR), (5, MAJOR), (7, MAJOR), (5, MAJOR)), 120, 4, 2, True, True),
}
ALIASES = {
    "energetic": "upbeat",
    "happy": "playful",
    "fun": "playful",
    "warm": "calm",
    "relaxed": "calm",
    "ambient": "calm",
    "professional": "corporate",
    "neutral": "corporate",
    "uplifting": "inspiring",
    "hopeful": "inspiring",
    "epic": "dramatic",
    "tense": "dramatic",
    "serious": "dramatic",
}


def resolve_mood(mood: str) -> Mood:
    """The mood by name or alias, 'corporate' (the most neutral) when unknown."""
    name = (mood or "").strip().lower()
    return MOODS.get(ALIASES.get(name, name), MOODS["corporate"])


def _table(harmonics: tuple[float, ...]) -> np.ndarray:
    """One cycle of a waveform; table look-ups are several times cheaper than np.sin."""
    phase = np.arange(TABLE_SIZE, dtype=np.float64) / TABLE_SIZE * 2 * np.pi
    wave = sum(a * np.sin((i + 1) * phase) for i, a in enumerate(harmonics))
    return (wave / np.max(np.abs(wave))).astype(np.float32)


PAD_TABLE = _table((1.0, 0.28, 0.12, 0.05))
BASS_TABLE = _table((1.0, 0.35, 0.1))
PLUCK_TABLE = _table((1.0, 0.2))


def _hz(midi: float) -> float:
    return 440.0 * 2 ** ((midi - 69) / 12)


def _osc(table: np.ndarray, freq: float, n: int, rate: int) -> np.ndarray:
    """`n` samples of a table oscillator at `freq` Hz, starting at phase zero."""
    cycles = (np.arange(n, dtype=np.float64) * (freq / rate)) % 1.0
    return table[(cycles * TABLE_SIZE).astype(np.int32)]


def _pad(chord: list[int], length: float, rate: int) -> tuple[np.ndarray, np.ndarray]:
    """One chord as a left/right pair of detuned pads with a slow swell and a long release."""
    release = 0.6
    n = round((length + release) * rate)
    t = np.arange(n, dtype=np.float32) / rate
    # The release overlaps the next chord, so chord changes swell rather than click.
    envelope = np.minimum(1.0, t / 0.35) * np.clip((length + release - t) / release, 0, 1)
    left = np.zeros(n, dtype=np.float32)
    right = np.zeros(n, dtype=np.float32)
    for note in chord:
        f = _hz(note)
        left += _osc(PAD_TABLE, f * 0.997, n, rate)
        right += _osc(PAD_TABLE, f * 1.003, n, rate)
    return 0.16 * envelope * left, 0.16 * envelope * right


def _pluck(
    table: np.ndarray, note: int, n: int, decay: float, level: float, rate: int
) -> np.ndarray:
    """A plucked note: a few milliseconds of attack, then an exponential decay."""
    t = np.arange(n, dtype=np.float32) / rate
    envelope = np.minimum(1.0, t / 0.006) * np.exp(-t * decay)
    return level * envelope * _osc(table, _hz(note), n, rate)


def _voicing(root: int, shape: tuple[int, ...], low: int = 55, high: int = 72) -> list[int]:
    """Chord tones folded into one octave-and-a-bit, so chord changes move smoothly."""
    notes = []
    for interval in shape:
        note = root + interval
        while note < low:
            note += 12
        while note >= high:
            note -= 12
        notes.append(note)
    return sorted(notes)


def _add(buffer: np.ndarray, start: int, signal: np.ndarray) -> None:
    """Mix `signal` into `buffer` from `start`, clipped at the buffer's end."""
    end = min(len(buffer), start + len(signal))
    if end > start:
        buffer[start:end] += signal[: end - start]


def synthesise_music_bed(
    duration_seconds: float,
    *,
    mood: str = "upbeat",
    tempo_bpm: float | None = None,
    sample_rate: int = 44100,
    seed: int = 0,
) -> bytes:
    """A stereo 16-bit WAV bed of exactly `duration_seconds`, about -18 dBFS RMS.

    Pads play the mood's progression (detuned left and right for width), a bass follows the
    chord roots, and lively moods add a soft off-beat pulse and an arpeggio whose pattern
    depends on `seed`. The same arguments always give the same bytes.
    """
    if not duration_seconds > 0:
        raise ValueError("a music bed needs a positive duration")
    duration_seconds = min(float(duration_seconds), MAX_SECONDS)
    style = resolve_mood(mood)
    tempo = float(tempo_bpm) if tempo_bpm else float(style.tempo)
    tempo = min(200.0, max(40.0, tempo))
    rng = np.random.default_rng(seed)
    frames = round(duration_seconds * sample_rate)
    left = np.zeros(frames, dtype=np.float32)
    right = np.zeros(frames, dtype=np.float32)
    mono = np.zeros(frames, dtype=np.float32)

    beat = 60.0 / tempo
    chord_len = beat * style.beats_per_chord
    n_chords = int(np.ceil(duration_seconds / chord_len))
    # Progressions repeat, so each chord, bass note and pluck is synthesised once and
    # then mixed in wherever it recurs: a minute of music costs a few hundred milliseconds.
    pads: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    notes: dict[tuple[str, int], np.ndarray] = {}
    step = beat / style.bass_per_beat
    bass_n = round(min(step, 0.9) * sample_rate)
    eighth = beat / 2
    pluck_n = round(eighth * 1.5 * sample_rate)
    for index in range(n_chords):
        slot = index % len(style.progression)
        offset, shape = style.progression[slot]
        root = style.key + offset
        start = round(index * chord_len * sample_rate)
        if slot not in pads:
            pads[slot] = _pad(_voicing(root, shape), chord_len, sample_rate)
        _add(left, start, pads[slot][0])
        _add(right, start, pads[slot][1])

        bass_note = root - 24 if root - 24 >= 36 else root - 12
        if ("bass", bass_note) not in notes:
            notes[("bass", bass_note)] = _pluck(
                BASS_TABLE, bass_note, bass_n, 3.0 / step, 0.32, sample_rate
            )
        for k in range(max(1, round(chord_len / step))):
            _add(mono, start + round(k * step * sample_rate), notes[("bass", bass_note)])

        if style.arpeggio:
            tones = _voicing(root + 12, shape, low=67, high=84)
            pattern = rng.permutation(len(tones))
            for k in range(round(chord_len / eighth)):
                note = tones[pattern[k % len(tones)]]
                if ("arp", note) not in notes:
                    notes[("arp", note)] = _pluck(
                        PLUCK_TABLE, note, pluck_n, 9.0, 0.14, sample_rate
                    )
                voice = notes[("arp", note)]
                pan = 0.35 if k % 2 else 0.65  # alternate sides a little for movement
                a_start = start + round(k * eighth * sample_rate)
                _add(left, a_start, voice * (1 - pan))
                _add(right, a_start, voice * pan)

    if style.pulse:
        n_beats = int(duration_seconds / beat) + 1
        h_n = round(0.06 * sample_rate)
        ht = np.arange(h_n, dtype=np.float32) / sample_rate
        hat_env = np.exp(-ht * 70.0)
        for k in range(n_beats):
            h_start = round((k + 0.5) * beat * sample_rate)
            noise = rng.standard_normal(h_n).astype(np.float32)
            # A first difference tilts white noise towards the treble: a soft shaker, not a hiss.
            bright = np.diff(noise, prepend=noise[0]) * 0.5
            _add(mono, h_start, 0.05 * hat_env * bright)

    stereo = np.stack([left + mono, right + mono], axis=1)
    t_all = np.arange(frames, dtype=np.float32) / sample_rate
    fade_in = min(1.5, duration_seconds / 4)
    fade_out = min(3.0, duration_seconds / 3)
    gain = np.minimum(1.0, t_all / fade_in) * np.minimum(1.0, (duration_seconds - t_all) / fade_out)
    stereo *= np.clip(gain, 0, 1)[:, None] ** 2  # squared ramps sound smoother than linear ones

    rms = float(np.sqrt(np.mean(stereo.astype(np.float64) ** 2)))
    if rms > 0:
        stereo *= 10 ** (TARGET_DBFS / 20) / rms
    peak = float(np.max(np.abs(stereo)))
    if peak > PEAK_CEILING:
        stereo *= PEAK_CEILING / peak
    return write_wav(stereo, sample_rate)


def level_dbfs(samples: np.ndarray) -> float:
    """RMS level of float samples in dBFS (full-scale sine = -3 dBFS)."""
    rms = float(np.sqrt(np.mean(np.asarray(samples, dtype=np.float64) ** 2)))
    return 20 * np.log10(rms) if rms > 0 else float("-inf")
