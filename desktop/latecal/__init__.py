"""Late Calendar: a desktop calendar for social media posts on the Late API."""

__version__ = "0.1.0"
