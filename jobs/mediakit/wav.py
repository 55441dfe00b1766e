"""WAV bytes in and out: reading to float samples, writing 16-bit PCM, silence, joins."""

from __future__ import annotations

import io
import wave

import numpy as np

DEFAULT_RATE = 44100


class WavError(ValueError):
    """The bytes are not a PCM WAV file this module can read."""


def _open(wav_bytes: bytes) -> wave.Wave_read:
    try:
        return wave.open(io.BytesIO(wav_bytes), "rb")
    except (wave.Error, EOFError) as exc:
        raise WavError(f"not a readable PCM WAV file: {exc}") from exc


def _frames(reader: wave.Wave_read) -> bytes:
    # Streams written to a pipe carry a placeholder length; trust the bytes, not the header.
    data = reader.readframes(reader.getnframes())
    frame = reader.getsampwidth() * reader.getnchannels()
    return data[: len(data) - len(data) % frame]


def wav_info(wav_bytes: bytes) -> dict[str, float | int]:
    """Duration, sample rate, channel count and sample width (bytes) of a WAV file."""
    with _open(wav_bytes) as reader:
        data = _frames(reader)
        rate, channels, width = reader.getframerate(), reader.getnchannels(), reader.getsampwidth()
    frames = len(data) // (channels * width)
    return {
        "duration_seconds": frames / rate if rate else 0.0,
        "sample_rate": rate,
        "channels": channels,
        "sample_width": width,
    }


def read_wav(wav_bytes: bytes) -> tuple[np.ndarray, int]:
    """Samples as float32 in [-1, 1], shaped (frames, channels), and the sample rate."""
    with _open(wav_bytes) as reader:
        data = _frames(reader)
        rate, channels, width = reader.getframerate(), reader.getnchannels(), reader.getsampwidth()
    if width == 1:
        samples = (np.frombuffer(data, dtype=np.uint8).astype(np.float32) - 128) / 128
    elif width == 2:
        samples = np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768
    elif width == 3:
        raw = np.frombuffer(data, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        ints = raw[:, 0] | (raw[:, 1] << 8) | (raw[:, 2] << 16)
        ints = np.where(ints & 0x800000, ints - 0x1000000, ints)
        samples = ints.astype(np.float32) / 8388608
    elif width == 4:
        samples = np.frombuffer(data, dtype="<i4").astype(np.float32) / 2147483648
    else:
        raise WavError(f"unsupported sample width: {width} bytes")
    return samples.reshape(-1, channels), rate


def write_wav(samples: np.ndarray, sample_rate: int = DEFAULT_RATE) -> bytes:
    """Float samples (frames,) or (frames, channels) in [-1, 1] as 16-bit PCM WAV bytes."""
    array = np.asarray(samples, dtype=np.float32)
    if array.ndim == 1:
        array = array[:, None]
    ints = np.clip(np.round(array * 32767), -32768, 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(array.shape[1])
        writer.setsampwidth(2)
        writer.setframerate(int(sample_rate))
        writer.writeframes(ints.tobytes())
    return buffer.getvalue()


def resample(samples: np.ndarray, src_rate: int, dst_rate: int) -> np.ndarray:
    """Linear-interpolation resampling: plenty for speech and beds mixed under it."""
    if src_rate == dst_rate or len(samples) == 0:
        return samples
    n_out = round(len(samples) * dst_rate / src_rate)
    src_t = np.arange(len(samples)) / src_rate
    dst_t = np.arange(n_out) / dst_rate
    columns = [np.interp(dst_t, src_t, samples[:, c]) for c in range(samples.shape[1])]
    return np.stack(columns, axis=1).astype(np.float32)


def to_channels(samples: np.ndarray, channels: int) -> np.ndarray:
    """Mono to many by copying, many to mono by averaging."""
    have = samples.shape[1]
    if have == channels:
        return samples
    if have == 1:
        return np.repeat(samples, channels, axis=1)
    mono = samples.mean(axis=1, keepdims=True)
    return mono if channels == 1 else np.repeat(mono, channels, axis=1)


def load(wav_bytes: bytes, sample_rate: int, channels: int) -> np.ndarray:
    """WAV bytes as float samples in the given rate and channel layout."""
    samples, rate = read_wav(wav_bytes)
    return to_channels(resample(samples, rate, sample_rate), channels)


def silence(duration: float, sample_rate: int = DEFAULT_RATE, channels: int = 1) -> bytes:
    """A silent 16-bit WAV of `duration` seconds."""
    frames = max(0, round(duration * sample_rate))
    return write_wav(np.zeros((frames, channels), dtype=np.float32), sample_rate)


def fit_length(samples: np.ndarray, frames: int, fade_frames: int = 0) -> np.ndarray:
    """Trim or zero-pad to exactly `frames`; a trimmed end fades out to avoid a click."""
    if len(samples) >= frames:
        out = samples[:frames].copy()
        fade = min(fade_frames, frames)
        if fade and len(samples) > frames:
            out[frames - fade :] *= np.linspace(1, 0, fade, dtype=np.float32)[:, None]
        return out
    pad_shape = (frames - len(samples), samples.shape[1])
    return np.concatenate([samples, np.zeros(pad_shape, dtype=np.float32)])


def pad(wav_bytes: bytes, duration: float) -> bytes:
    """The same audio trimmed or padded with silence to exactly `duration` seconds."""
    samples, rate = read_wav(wav_bytes)
    fitted = fit_length(samples, round(duration * rate), fade_frames=round(0.02 * rate))
    return write_wav(fitted, rate)


def concat(wavs: list[bytes]) -> bytes:
    """One WAV playing `wavs` back to back, in the rate and channels of the first."""
    if not wavs:
        return silence(0)
    first, rate = read_wav(wavs[0])
    channels = first.shape[1]
    parts = [first] + [load(w, rate, channels) for w in wavs[1:]]
    return write_wav(np.concatenate(parts), rate)
