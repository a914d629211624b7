from transform.relevance import relevance, salient_terms, seed_profile

SEED = ("Xi Jinping told Vladimir Putin that China would keep supporting Russia on sovereignty and security. "
        "The Kremlin said the presidents agreed to expand cooperation in energy and finance. Sanctions loom.")


def test_salient_terms_skip_stop_words_and_short_words():
    terms = salient_terms("The the and sanctions sanctions energy of it Kremlin")
    assert "sanctions" in terms and "energy" in terms and "the" not in terms and "it" not in terms


def test_related_article_scores_above_unrelated():
    profile = seed_profile([(["Xi Jinping", "Vladimir Putin", "China", "Russia", "Kremlin"], SEED)])
    related = relevance(["Kremlin", "Russia", "China", "Vladimir Putin"],
                        "The Kremlin said energy trade with China grew despite sanctions and security worries.",
                        profile)
    unrelated = relevance(["Little Brampton"], "A giant marrow won the allotment show prize on Saturday.", profile)
    assert related >= 0.5
    assert unrelated < 0.1
    assert 0.0 <= unrelated <= related <= 1.0


def test_empty_profile_scores_zero():
    assert relevance(["China"], "China trade", seed_profile([])) == 0.0
