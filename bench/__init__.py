"""Benchmarks with in-run baselines: each measures the API beside a plain view doing the same work."""
