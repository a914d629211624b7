"""The offline sample news site used by the demo and the tests (original texts, served on 127.0.0.1)."""

from sample_site.network import SampleNetwork
from sample_site.server import SampleSite

__all__ = ["SampleNetwork", "SampleSite"]
