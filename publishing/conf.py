"""Publishing settings read from Django settings, else the environment, else a default."""

from __future__ import annotations

from production.tunables import tunable


def _value(name: str, default: str) -> str:
    return tunable(name, default)


def encryption_keys() -> list[str]:
    """Fernet keys for stored credentials, newest first; older ones still decrypt (rotation)."""
    return [key.strip() for key in _value("PUBLISHING_KEYS", "").split(",") if key.strip()]


def max_attempts() -> int:
    return int(_value("PUBLISH_MAX_ATTEMPTS", "4"))


def retry_delays() -> list[float]:
    """Seconds before the 2nd, 3rd... attempt after a transient failure (rate limit, outage)."""
    return [float(part) for part in _value("PUBLISH_RETRY_DELAYS", "30,120,600").split(",")]


def timeout() -> float:
    return float(_value("PUBLISH_TIMEOUT_SECONDS", "60"))


def youtube_api_url() -> str:
    return _value("YOUTUBE_API_URL", "https://www.googleapis.com").rstrip("/")


def google_token_url() -> str:
    return _value("GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com/token")


def instagram_graph_url() -> str:
    return _value("INSTAGRAM_GRAPH_URL", "https://graph.instagram.com/v21.0").rstrip("/")


def instagram_refresh_url() -> str:
    return _value("INSTAGRAM_REFRESH_URL", "https://graph.instagram.com/refresh_access_token")


def instagram_poll_seconds() -> float:
    """How long to wait between looks at a media container Instagram is still processing."""
    return float(_value("INSTAGRAM_POLL_SECONDS", "5"))


def instagram_poll_limit() -> int:
    """Looks at a processing container before the attempt gives up and is retried later."""
    return int(_value("INSTAGRAM_POLL_LIMIT", "36"))


def public_media_seconds() -> int:
    """How long a signed media link handed to Instagram stays valid."""
    return int(_value("PUBLISH_MEDIA_LINK_SECONDS", "3600"))


def site_url() -> str:
    """The public address Instagram fetches media from (it cannot reach a private host)."""
    return _value("PUBLISH_MEDIA_BASE_URL", tunable("SITE_URL", "")).rstrip("/")
