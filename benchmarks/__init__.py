"""Claimdesk's benchmarks: `make bench` (server time in-process) and `make load` (editors against gunicorn)."""
