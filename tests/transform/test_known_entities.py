"""Known entities: names the warehouse has confirmed are found where the model misses them, with the
ambiguity rules (no match inside a longer name, a surname alone only after the full name, one kind per
name). After a real cycle on the sample site, the warehouse's own known entities do it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from transform.entities import find_entities, known_patterns
from warehouse.known import known_entities

ROOT = Path(__file__).resolve().parents[2]
KNOWN = (("Xi Jinping", "PERSON"), ("Vladimir Putin", "PERSON"), ("Kremlin", "ORG"))
SENTENCE = "Xi Jinping met Vladimir Putin."


def found(text: str, known=KNOWN) -> list[tuple[str, str, str]]:
    return [(m.text, m.label, m.entity) for m in next(find_entities([text], known=known))]


def test_the_model_alone_misses_xi_a_known_name_is_found():
    assert ("Xi Jinping", "PERSON", "Xi Jinping") not in found(SENTENCE, known=())
    assert found(SENTENCE) == [("Xi Jinping", "PERSON", "Xi Jinping"), ("Vladimir Putin", "PERSON", "Vladimir Putin")]


def test_no_match_inside_a_longer_name():
    assert found("Xi Jinping Thought is taught in schools.") == []
    assert ("Xi Jinping", "PERSON", "Xi Jinping") in found("Schools teach what President Xi Jinping wrote.")


def test_a_surname_alone_only_in_a_text_that_names_the_person_in_full():
    after = found("Xi Jinping spoke first. Later Xi said the talks went well.")
    assert after == [("Xi Jinping", "PERSON", "Xi Jinping"), ("Xi", "PERSON", "Xi Jinping")]
    assert ("Xi", "PERSON", "Xi Jinping") not in found("Later Xi said the talks went well.")
    assert ("Xi", "PERSON", "Xi Jinping") not in found("Xi Jinping spoke. Xi Mingze studied abroad.")


def test_patterns_keep_one_kind_per_name_and_only_proper_names():
    patterns = known_patterns([("Jordan", "GPE"), ("Jordan", "PERSON"), ("Kremlin", "ORG"), ("x", "ORG"),
                               ("white house", "ORG"), ("Putin", "WORK_OF_ART")])
    assert patterns == [{"label": "ORG", "pattern": "Kremlin", "id": "known"}]


def test_after_a_cycle_the_warehouses_known_entities_find_both(sample_db):
    known = known_entities(sample_db)
    assert ("Xi Jinping", "PERSON") in known and ("Vladimir Putin", "PERSON") in known
    names = {name for name, _, _ in found(SENTENCE, known=tuple(known))}
    assert {"Xi Jinping", "Vladimir Putin"} <= names


def test_the_cli_uses_the_warehouse_with_db(sample_db, tmp_path):
    cmd = [sys.executable, "-m", "newsmon", "entities", "--db", str(sample_db)]
    res = subprocess.run(cmd, input=json.dumps({"id": 1, "text": SENTENCE}) + "\n", capture_output=True,
                         text=True, cwd=ROOT, timeout=300)
    assert res.returncode == 0, res.stderr
    assert [e["entity"] for e in json.loads(res.stdout)["entities"]] == ["Xi Jinping", "Vladimir Putin"]
    missing = subprocess.run([*cmd[:-1], str(tmp_path / "none.duckdb")], input="", capture_output=True, text=True,
                             cwd=ROOT, timeout=300)
    assert missing.returncode == 2 and "no warehouse there" in missing.stderr


def test_warehouse_without_a_snapshot_knows_nothing(tmp_path):
    assert known_entities(tmp_path / "absent.duckdb") == []


def test_discover_hands_the_known_entities_to_the_parse_stage(sample_db, tmp_path, site):
    """plan_cycle (the discover task, which may open the DuckDB file) writes them into the run's staging;
    the parse stage (on any machine) reads them from there."""
    import shutil

    from core.staging import read_known_entities, staging_dir
    from newsmon.pipeline import plan_cycle
    from tests.conftest import make_settings
    from warehouse.db import snapshot_path

    db = tmp_path / "copy.duckdb"
    shutil.copy(sample_db, db)
    shutil.copy(snapshot_path(sample_db), snapshot_path(db))
    settings = make_settings(tmp_path, site, db=db)
    plan_cycle(settings, "known-run")
    assert read_known_entities(staging_dir(settings, "known-run")) == tuple(known_entities(db))
    assert ("Xi Jinping", "PERSON") in read_known_entities(staging_dir(settings, "known-run"))
