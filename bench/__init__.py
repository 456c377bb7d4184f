"""Benchmarks: each prints its rate and the ratio to a baseline measured in the same run."""
