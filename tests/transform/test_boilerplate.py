import pytest

from transform.boilerplate import clean_text, is_boilerplate_line


@pytest.mark.parametrize("line", [
    "Read more: Beijing locks down Chaoyang | Testing queues grow",
    "More on China",
    "Related: Ferry fares rise",
    "Sign up for our morning briefing",
    "Share this article",
    "Photo: health workers outside a compound",
    "Image caption: file picture",
    "By Mei Lin Howard",
    "By Tom Aldridge and Priya Natarajan",
    "World | China | UK | Business",
    "We use cookies to improve your experience.",
])
def test_boilerplate_lines(line):
    assert is_boilerplate_line(line)


@pytest.mark.parametrize("line", [
    "Chinese leader Xi Jinping told Vladimir Putin on Wednesday that Beijing would keep its support.",
    "More than 200 cases were linked to the bar, officials said.",
    "Read the statement and you will see, he said, that nothing has changed in our position on the war "
    "or on the sanctions that Western governments imposed in the spring, and nothing will change soon.",
    "By the end of the week, most residents had been tested twice.",
])
def test_story_lines_are_kept(line):
    assert not is_boilerplate_line(line)


def test_clean_text_keeps_order_and_normalises_space():
    text = "First  paragraph.\nRead more: A | B\n\nSecond\tparagraph."
    assert clean_text(text) == "First paragraph.\nSecond paragraph."
