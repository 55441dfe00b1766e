"""The built-in offline writers, one module per job type, each exposing `write`."""
