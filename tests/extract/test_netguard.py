import ipaddress

import pytest

from extract.errors import BlockedAddress, FetchFailed
from extract.netguard import AddressPolicy


def fixed(*addrs):
    return lambda host, port: list(addrs)


@pytest.mark.parametrize("addr", ["127.0.0.1", "10.1.2.3", "192.168.0.5", "172.16.9.9", "169.254.169.254",
                                  "::1", "fe80::1", "fc00::5", "0.0.0.0", "100.64.0.1", "::ffff:127.0.0.1"])
def test_non_public_addresses_are_refused_by_default(addr):
    policy = AddressPolicy(False, resolver=fixed(addr))
    with pytest.raises(BlockedAddress, match="non-public"):
        policy.check_url("http://news.example/story")


def test_public_addresses_pass():
    policy = AddressPolicy(False, resolver=fixed("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"))
    assert policy.check_url("https://news.example/story")


def test_one_private_address_among_public_ones_is_refused():
    policy = AddressPolicy(False, resolver=fixed("93.184.216.34", "10.0.0.7"))
    with pytest.raises(BlockedAddress):
        policy.check_url("https://news.example/")


def test_allow_list_admits_only_its_networks():
    policy = AddressPolicy(["127.0.0.1/32"])
    assert policy.allows_ip(ipaddress.ip_address("127.0.0.1"))
    assert not policy.allows_ip(ipaddress.ip_address("127.0.0.2"))
    assert not policy.allows_ip(ipaddress.ip_address("10.0.0.1"))
    assert AddressPolicy(True).allows_ip(ipaddress.ip_address("10.0.0.1"))


def test_unresolvable_host_is_a_failure_not_a_crash():
    def broken(host, port):
        raise OSError("Name or service not known")

    with pytest.raises(FetchFailed, match="cannot resolve"):
        AddressPolicy(False, resolver=broken).check_url("http://no-such-host.invalid/")


def test_the_connection_goes_to_the_checked_address_not_a_second_dns_answer(tmp_path, fresh_site, monkeypatch):
    """A rebinding name: the first answer (checked, allowed) is what the socket connects to; the resolver's
    later, different answers and the system resolver are never asked for the connection."""
    import socket

    from extract.client import Fetcher
    from tests.conftest import make_settings

    asked = []

    def rebinding(host, port):
        asked.append(host)
        return ["127.0.0.1"] if len(asked) <= 3 else ["10.0.0.9"]

    real = socket.getaddrinfo

    def no_system_dns_for_it(host, *args, **kw):
        assert host != "rebind.test", "the connection resolved the name again"
        return real(host, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", no_system_dns_for_it)
    settings = make_settings(tmp_path, fresh_site)
    fetcher = Fetcher(settings, policy=AddressPolicy(["127.0.0.1/32"], resolver=rebinding))
    res = fetcher.get(f"http://rebind.test:{fresh_site.port}/news/xi-putin-call")
    assert res.state == "ok" and res.status == 200
    assert asked == ["rebind.test"] * 3  # the URL, its robots.txt request and its page request
    assert fresh_site.hits[-1].path == "/news/xi-putin-call"
    # the name now answers with a private address: refused before any connection is made
    seen = len(fresh_site.hits)
    again = fetcher.get(f"http://rebind.test:{fresh_site.port}/news/taiwan-next-door")
    assert again.state == "blocked" and "10.0.0.9" in again.detail
    assert len(fresh_site.hits) == seen
