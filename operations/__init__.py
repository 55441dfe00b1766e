"""Operations: health and readiness probes, Prometheus metrics, signed outgoing webhooks."""
