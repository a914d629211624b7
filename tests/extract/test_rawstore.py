from extract.rawstore import RawStore


def test_content_addressed_roundtrip(tmp_path):
    store = RawStore(tmp_path)
    sha = store.put(b"<html>one</html>")
    assert sha == store.put(b"<html>one</html>")
    assert store.get(sha) == b"<html>one</html>"
    assert store.path(sha).parent.name == sha[:2]
    assert len(list((tmp_path / "raw").rglob("*.gz"))) == 1
    assert not store.has("0" * 64)
