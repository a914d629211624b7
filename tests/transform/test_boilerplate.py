import pytest

from transform.boilerplate import clean_text, is_boilerplate_line


@pytest.mark.parametrize("line", [
    "Read more: Beijing locks down Chaoyang | Testing queues grow",
    "More on China",
    "Related: Ferry fares rise",
    "Related post: Pickled beetroot, three ways",
    "You may also like:",
    "Sign up for our morning briefing",
    "Share this article",
    "Photo: health workers outside a compound",
    "Image caption: file picture",
    "By Mei Lin Howard",
    "By Tom Aldridge and Priya Natarajan",
    "World | China | UK | Business",
    "We use cookies to improve your experience.",
    "Get the week's best stories in our free newsletter, every Friday in your inbox.",
    "Follow us on Twitter and Facebook for more news from the moor.",
    "Email Ann Lee at ann@harbour.example or follow her on Twitter.",
    "Follow @HarbourDeals on Twitter to keep up with the latest offers.",
    "Ffion Rees contributed to this report.",
    "Updated at 1:23 p.m.",
    "05/10/2018 - Posted by: Ann Lee - Category: Health",
    "Tuesday, 22 January 2019 at 00:13",
    "March 3, 2021",
    "Tags: quarry, planning, wildlife",
    "© Reuters",
    "|---|---|---|",
])
def test_boilerplate_lines(line):
    assert is_boilerplate_line(line)


@pytest.mark.parametrize("line", [
    "Chinese leader Xi Jinping told Vladimir Putin on Wednesday that Beijing would keep its support.",
    "More than 200 cases were linked to the bar, officials said.",
    "Read the statement and you will see, he said, that nothing has changed in our position on the war "
    "or on the sanctions that Western governments imposed in the spring, and nothing will change soon.",
    "By the end of the week, most residents had been tested twice.",
    "| Stage | Date |",
    "| Application lodged | March 2019 |",
    "\u2014 Harbour Rowing Club (@harbourrowing) June 4, 2022",
    "The vote is set for 12:30 on Tuesday, the clerk said, and the result will be published on 14/06/2022.",
    "Click here to read the full report, the council said in its statement on Monday.",
    "\u00a9 2022 Associated Harbour Press. All rights reserved. This material may not be published or broadcast.",
])
def test_story_lines_are_kept(line):
    assert not is_boilerplate_line(line)


def test_clean_text_keeps_order_and_normalises_space():
    text = "First  paragraph.\nRead more: A | B\n\nSecond\tparagraph."
    assert clean_text(text) == "First paragraph.\nSecond paragraph."


def test_tag_heading_and_its_keyword_line_are_dropped():
    text = "The story ends here.\nTags\nquarry, planning, Hollin Moor\nA later paragraph, kept."
    assert clean_text(text) == "The story ends here.\nA later paragraph, kept."
