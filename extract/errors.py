"""Expected fetch outcomes that end as ledger entries rather than crashes."""

from __future__ import annotations


class FetchFailed(Exception):
    """A fetch that ends as a ledger entry: `state` says which one, `detail` why."""

    def __init__(self, state: str, detail: str):
        super().__init__(detail)
        self.state = state
        self.detail = detail


class BlockedAddress(FetchFailed):
    """The URL's host resolves to an address the crawler must not contact."""

    def __init__(self, detail: str):
        super().__init__("blocked", detail)
