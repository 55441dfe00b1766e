"""Offline media toolkit: brand images, speech, music beds and MP4 rendering.

No Django, except brand_assets.py, which reads a client's uploads into a BrandKit and is not
imported here.
"""

from .ffmpeg import MediaProbe, RenderError, ffmpeg_exe, probe, run_ffmpeg
from .images import (
    burn_caption,
    caption_overlay,
    image_info,
    render_banner,
    render_chart,
    render_infographic,
    render_logo,
    render_scene_frame,
    render_social_image,
    render_title_card,
)
from .music import synthesise_music_bed
from .palette import Palette, contrast_ratio, palette_from_brand, parse_color, readable_on
from .speech import SpeechError, SpeechUnavailable, espeak_available, synthesise_speech
from .video import SceneClip, render_video, shotstack_timeline
from .wav import silence, wav_info

__all__ = [
    "MediaProbe",
    "Palette",
    "RenderError",
    "SceneClip",
    "SpeechError",
    "SpeechUnavailable",
    "burn_caption",
    "caption_overlay",
    "contrast_ratio",
    "espeak_available",
    "ffmpeg_exe",
    "image_info",
    "palette_from_brand",
    "parse_color",
    "probe",
    "readable_on",
    "render_banner",
    "render_chart",
    "render_infographic",
    "render_logo",
    "render_scene_frame",
    "render_social_image",
    "render_title_card",
    "render_video",
    "run_ffmpeg",
    "shotstack_timeline",
    "silence",
    "synthesise_music_bed",
    "synthesise_speech",
    "wav_info",
]
