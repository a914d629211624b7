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
