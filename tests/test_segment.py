from qa_bot.ingest.segment import split_sentences


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_does_not_split_on_titles_and_abbreviations():
    text = (
        "H.E. Mr. Jonibek Hikmat spoke first. Ms. Waly met the U.S. delegation, e.g. Dr. Lee. "
        "See No. 5 for details."
    )
    assert sentences(text) == [
        "H.E. Mr. Jonibek Hikmat spoke first.",
        "Ms. Waly met the U.S. delegation, e.g. Dr. Lee.",
        "See No. 5 for details.",
    ]


def test_does_not_split_inside_numbers():
    text = "Resolution 79/286 passed. Victims rose 35% since 2019. The rate was 3.5 times higher."
    assert sentences(text) == [
        "Resolution 79/286 passed.",
        "Victims rose 35% since 2019.",
        "The rate was 3.5 times higher.",
    ]


def test_offsets_point_into_the_text_with_an_offset():
    text = "  First one. Second one!  Third?"
    spans = split_sentences(text, offset=100)
    assert [text[s - 100 : e - 100] for s, e in spans] == ["First one.", "Second one!", "Third?"]


def test_lowercase_after_period_is_not_a_new_sentence():
    assert sentences("It grew approx. five times. Then it fell.") == [
        "It grew approx. five times.",
        "Then it fell.",
    ]


def test_quotes_close_a_sentence():
    assert sentences('She said "stop." Then left.') == ['She said "stop."', "Then left."]


def test_each_list_item_on_a_line_of_its_own_is_a_sentence():
    text = "Major contributors:\n- 2005: Tal Einat\n- 2010: Terry Reedy (maintainer)\n- 2013: Roger"
    assert sentences(text) == [
        "Major contributors:",
        "- 2005: Tal Einat",
        "- 2010: Terry Reedy (maintainer)",
        "- 2013: Roger",
    ]
    # An item's continuation line is part of it.
    assert sentences("Files:\n- editor with undo\n  and call tips\n- shell window") == [
        "Files:",
        "- editor with undo\n  and call tips",
        "- shell window",
    ]


def test_a_wrapped_line_or_a_boxed_line_is_no_list_item():
    text = "Its terms come with the text\n- as set out in section 7 - and no other."
    assert sentences(text) == [
        "Its terms come with the text\n- as set out in section 7 - and no other."
    ]
    box = "*  Covered Software is provided on an as is  *\n*  basis, without warranty.  *"
    assert len(sentences(box)) == 1
