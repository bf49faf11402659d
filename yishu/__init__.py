"""Yishu (一数): a knowledge-graph metadata catalog for government data sharing."""

__version__ = "0.1.0"
