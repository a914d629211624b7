"""newsmon: a related-article news monitor."""

__version__ = "0.1.0"
