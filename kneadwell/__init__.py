"""Kneadwell: a self-hosted clinical record for massage therapists whose clients live with pain."""

__version__ = "0.1.0"
