"""Notifications: an in-app inbox, e-mail and a daily digest, per user and per event."""
