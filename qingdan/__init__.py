"""qingdan: responsibility lists as live data."""

__version__ = "0.1.0"
