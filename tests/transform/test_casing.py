from transform.casing import needs_restoring, proper_nouns, restore_case, restore_line

BODY = "Chinese leader Xi Jinping spoke to Vladimir Putin. Officials in Beijing and at NATO said little."


def test_which_lines_need_restoring():
    assert needs_restoring("CHINA IS WATCHING, WALLACE WARNS")
    assert needs_restoring("Xi Tells Putin China Will Keep Backing Russia")
    assert needs_restoring("Beijing Orders Mass Testing After an Outbreak at a Bar")
    assert not needs_restoring("Xi tells Putin China will keep backing Russia")
    assert not needs_restoring("Japanese Prime Minister Fumio Kishida met South Korean President Yoon in Tokyo.")
    assert not needs_restoring("UK")  # too short to tell


def test_proper_nouns_come_from_mid_sentence_capitals():
    vocab = proper_nouns(BODY)
    assert vocab["putin"] == "Putin" and vocab["nato"] == "NATO" and vocab["beijing"] == "Beijing"
    assert "officials" not in vocab  # capitalised only at the start of a sentence


def test_restore_line_and_offsets_stay_valid():
    vocab = proper_nouns(BODY)
    assert restore_line("XI TELLS PUTIN NATO WILL WAIT", vocab) == "Xi tells Putin NATO will wait"
    places = vocab | {"china": "China", "russia": "Russia"}
    assert restore_line("Xi Tells Putin China Will Keep Backing Russia", places) == \
        "Xi tells Putin China will keep backing Russia"
    text = "Body line one.\nPUTIN AND XI MEET IN BEIJING\nAnother body line."
    restored = restore_case(text, vocab)
    assert len(restored) == len(text)
    assert restored.splitlines()[1] == "Putin and Xi meet in Beijing"
    assert restored.splitlines()[0] == "Body line one."
