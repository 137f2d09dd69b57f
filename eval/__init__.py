"""Grounding evaluation, calibration and benchmarks for the rag package (`python -m eval...`)."""
