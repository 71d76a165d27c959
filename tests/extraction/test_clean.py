"""Cleaning: markup and whitespace go, offsets stay, page-break duplicates are repaired."""

from pathlib import Path

import pytest

from accordkg.extraction.clean import CleanDocument, clean
from tests.conftest import SEED

DUPLICATED = (
    "Building on earlier work, we intend to advance our shared vision and work towards an "
    "ecosystem that\n\nwe intend to advance our shared vision and work towards an ecosystem "
    "that embodies this approach by:\n\nTaking stock of things;"
)


def test_markdown_links_and_emphasis_are_removed_with_offsets_kept() -> None:
    raw = "U.S. DEPARTMENT *of* STATE\n\n[Home](#) > **[Bureau](#)** >\n"
    document = clean(raw)
    banner, breadcrumb = document.paragraphs
    assert banner.text.value == "U.S. DEPARTMENT of STATE"
    assert breadcrumb.text.value == "Home > Bureau >"
    assert breadcrumb.has_links
    bureau = breadcrumb.text[7:13]
    start, end = bureau.span
    assert raw[start:end] == "Bureau"


def test_a_cut_off_paragraph_repeated_in_full_is_merged_once() -> None:
    document = clean(DUPLICATED)
    lead_in, item = document.paragraphs
    assert lead_in.text.value == (
        "Building on earlier work, we intend to advance our shared vision and work towards an "
        "ecosystem that embodies this approach by:"
    )
    start, end = lead_in.text.span
    assert (start, end) == (0, DUPLICATED.index("\n\nTaking"))
    assert item.text.value == "Taking stock of things;"
    (repair,) = document.repairs
    assert "page-break duplicate" in repair


def test_a_breadcrumb_ending_in_the_title_is_not_merged_with_the_title() -> None:
    title = "Joint Statement on Research Cooperation"
    raw = f"[News](#) > {title}\n\n{title}\n"
    document = clean(raw)
    assert [p.text.value for p in document.paragraphs] == [
        "News > Joint Statement on Research Cooperation",
        "Joint Statement on Research Cooperation",
    ]
    assert document.repairs == ()


def test_sentences_that_end_are_never_merged() -> None:
    sentence = "We intend to meet and talk about research cooperation."
    raw = f"{sentence}\n\n{sentence} Again."
    assert len(clean(raw).paragraphs) == 2


# --- page furniture, hyphenation, hard wraps and web chrome ------------------------------

PROSE = "The Participants will exchange information on their research programmes in"


def _lines(document: CleanDocument) -> list[list[str]]:
    return [[line.value for line in paragraph.lines] for paragraph in document.paragraphs]


def _assert_offsets_point_at_raw(document: CleanDocument) -> None:
    """Every cleaned character stands at its offset in raw; a space may stand for any
    whitespace it collapsed."""
    for paragraph in document.paragraphs:
        for line in paragraph.lines:
            for char, offset in zip(line.value, line.offsets, strict=True):
                found = document.raw[offset]
                assert found == char or (char == " " and found.isspace()), (line.value, offset)


@pytest.mark.parametrize(
    ("line", "paginated", "removed"),
    [
        ("3", True, True),
        ("- 3 -", False, True),
        ("\u2013 12 \u2013", False, True),
        ("Page 3", False, True),
        ("Page 3 of 7", False, True),
        ("page 3/7", False, True),
        ("3/7", False, True),
        ("3 of 7", False, True),
        ("[3]", True, True),
        ("p. 3", False, True),
        ("3", False, False),  # a bare number is a page number only at a page's edge
        ("[3]", False, False),
        ("Page 9 of 7", False, False),  # no page 9 of 7
        ("3.", True, False),  # an item number
        ("(3)", True, False),
        ("2024", True, False),  # a year
        ("Page 3 of the Annex", False, False),
    ],
)
def test_page_numbers_alone_on_a_line(line: str, paginated: bool, removed: bool) -> None:
    page_break = "\f" if paginated else "\n"
    raw = f"The Participants will meet once a year.\n{line}\n{page_break}They will report."
    document = clean(raw)
    kept = [value for lines in _lines(document) for value in lines]
    assert (line not in kept) == removed
    assert ("removed 1 page number" in document.repairs) == removed
    assert kept[0] == "The Participants will meet once a year."
    assert kept[-1] == "They will report."


def test_a_running_head_with_the_page_number_is_removed_on_every_page() -> None:
    pages = [
        f"MoU between NRF and CNRS \u2013 Page {n}\nParagraph {n} of the text ends here."
        for n in (1, 2, 3)
    ]
    document = clean("\f".join(pages))
    assert _lines(document) == [[f"Paragraph {n} of the text ends here."] for n in (1, 2, 3)]
    assert document.repairs == (
        "removed 3 running heads or footers ('MoU between NRF and CNRS \u2013 Page 1')",
    )


@pytest.mark.parametrize(
    ("tops", "removed"),
    [
        (["CONFIDENTIAL DRAFT", "CONFIDENTIAL DRAFT"], True),
        (["Research MoU 2024 - 1", "Research MoU 2024 - 2"], True),
        (["Research MoU", "Research MoU (continued)"], False),  # not the same line
        (["Scope of the cooperation 3", "Scope of the cooperation 5"], False),  # not the page
        (["Article 3", "Article 4"], False),  # headings are text
        (["The Participants will:", "The Participants will:"], False),  # a lead-in
    ],
)
def test_running_heads_repeat_at_page_edges(tops: list[str], removed: bool) -> None:
    raw = "\f".join(f"{top}\nThe text of page {n} ends here." for n, top in enumerate(tops, 1))
    kept = [value for lines in _lines(clean(raw)) for value in lines]
    assert (tops[1] not in kept) == removed


@pytest.mark.parametrize(
    ("before_break", "after_break", "joined"),
    [
        ("to review the cooperation and", "report to the heads of both organisations.", True),
        ("the exchange of researchers between the", "National Research Foundation and CNRS.", True),
        ("in the fields of physics, chemistry,", "Biology and mathematics.", True),
        ("in artificial intel-", "ligence and robotics.", True),
        ("to review the cooperation.", "the committee will report every year.", False),
        ("of the Participants", "2. The Participants will meet every year.", False),
        ("(a) to exchange scientists and engineers,", "b) to meet once a year.", False),
        ("ARTICLE 2", "The Participants will meet every year.", False),
    ],
)
def test_a_paragraph_cut_by_a_page_break_runs_on(
    before_break: str, after_break: str, joined: bool
) -> None:
    raw = f"Research MoU\n{before_break}\nPage 1 of 2\n\f\nResearch MoU\n{after_break}\n"
    document = clean(raw)
    assert len(document.paragraphs) == (1 if joined else 2)
    assert ("joined 1 paragraph split by a page break" in document.repairs) == joined
    _assert_offsets_point_at_raw(document)


@pytest.mark.parametrize(
    ("evidence", "broken", "expected"),
    [
        ("", "coop-\neration", "cooperation"),  # no word "coop" here: only broken
        ("international law", "inter-\nnational", "international"),
        ("research ships, each partner, a partnership", "partner-\nships", "partnerships"),
        ("frameworks, a frame and our work", "frame-\nwork", "framework"),  # plural
        ("", "coop\u00ad\neration", "cooperation"),  # a soft hyphen only ever breaks
        ("government-to-government", "government-to-\ngovernment", "government-to-government"),
        ("", "state-of-the-\nart", "state-of-the-art"),
        ("co-operation", "co-\noperation", "co-operation"),
        ("cooperation", "co-\noperation", "cooperation"),
        ("decision and making", "decision-\nmaking", "decision-making"),
        ("well-known", "well-\nbeing", "well-being"),  # "well" starts compounds here
        ("multi-stakeholder, multilateral", "multi-\nlateral", "multilateral"),
        ("", "self-\nassessment", "self-assessment"),
        ("", "Anglo-\nAmerican", "Anglo-American"),
        ("", "AI-\nrelated", "AI-related"),
        ("", "COVID-\n19", "COVID-19"),
    ],
)
def test_hyphenation_at_line_ends(evidence: str, broken: str, expected: str) -> None:
    raw = f"Evidence: {evidence}.\n\nWe support {broken} activities now."
    document = clean(raw)
    assert _lines(document)[-1] == [f"We support {expected}", "activities now."]
    _assert_offsets_point_at_raw(document)
    joined = "-" not in expected
    assert ("joined 1 word hyphenated at a line end" in document.repairs) == joined
    assert ("kept the hyphen of 1 compound broken at a line end" in document.repairs) != joined


def test_soft_hyphens_inside_a_line_go_and_offsets_stay() -> None:
    raw = "We support co\u00adoperation in research."
    (paragraph,) = clean(raw).paragraphs
    assert paragraph.text.value == "We support cooperation in research."
    assert paragraph.text.offsets[13] == raw.index("o\u00adop") + 2


def test_windows_line_ends_separate_paragraphs() -> None:
    raw = "Noting our friendship;\r\n\r\nWe will cooperate.\r\n"
    document = clean(raw)
    assert _lines(document) == [["Noting our friendship;"], ["We will cooperate."]]
    _assert_offsets_point_at_raw(document)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Skip to main content", "web banner"),
        ("An official website of the United States government", "web banner"),
        ("Here\u2019s how you know", "web banner"),
        ("Print this page", "web banner"),
        ("Accept all cookies", "cookie notice"),
        ("Reject additional cookies", "cookie notice"),
        ("We use cookies to collect information about how you use this site.", "cookie notice"),
        ("Cookie settings", "cookie notice"),
        ("Was this page helpful?", "feedback widget"),
        ("Yes No", "feedback widget"),
        ("Report a problem with this page", "feedback widget"),
        ("\u00a9 Crown copyright 2025", "web footer"),
        (
            "All content is available under the Open Government Licence v3.0, except where "
            "otherwise stated",
            "web footer",
        ),
        ("Terms and conditions", "web footer"),
        ("Contact us", "web footer"),
        ("Twitter", "web footer"),
        # sentences and lines of an instrument stay
        ("The Participants will contact each other through diplomatic channels.", None),
        ("Nothing in this Declaration limits research that uses cookies.", None),
        ("Search and rescue robotics will be a priority area.", None),
        ("(c) share research infrastructure;", None),  # not a copyright sign
        ("Menu of cooperation activities", None),
        ("Yes", None),  # an answer only right after a feedback question
        ("Privacy", None),  # may be an article's heading
        ("[Privacy Policy](#)", None),  # navigation: the segmenter reads links
    ],
)
def test_web_chrome_is_removed_only_as_a_whole_line(line: str, kind: str | None) -> None:
    raw = f"Joint Statement on Research\n\n{line}\n\nWe intend to cooperate."
    document = clean(raw)
    kept = [value for lines in _lines(document) for value in lines]
    assert len(kept) == (2 if kind else 3)
    assert document.repairs == ((f"removed 1 {kind} line",) if kind else ())


def test_chrome_words_that_continue_a_wrapped_sentence_stay() -> None:
    raw = "Results will be published online and in\nprint\n\nIs this page useful?\nYes\nNo\n"
    document = clean(raw)
    assert _lines(document) == [["Results will be published online and in", "print"]]
    assert document.repairs == ("removed 3 feedback widget lines",)


@pytest.mark.parametrize(
    ("block", "paragraphs"),
    [
        (  # numbered items after a clause
            "1. Exchange information on research priorities;\n2. Support joint projects.",
            [["1. Exchange information on research priorities;"], ["2. Support joint projects."]],
        ),
        (  # lettered items after "; and"
            "(a) exchange scientists; and\n(b) meet once a year.",
            [["(a) exchange scientists; and"], ["(b) meet once a year."]],
        ),
        (  # a heading alone on its line, whatever stands before it
            f"{PROSE}\nartificial intelligence and related fields\nArticle 3\nScope",
            [[PROSE, "artificial intelligence and related fields"], ["Article 3", "Scope"]],
        ),
        (  # "Article 3" inside a wrapped sentence
            f"{PROSE}\nArticle 3 of the Agreement on Scientific Cooperation.",
            [[PROSE, "Article 3 of the Agreement on Scientific Cooperation."]],
        ),
        (  # recitals in capitals and WHEREAS, after a comma or semicolon
            "CONSIDERING the Agreement of 2015,\nWHEREAS the Parties cooperate;\n"
            "NOW, THEREFORE, the Parties agree:",
            [
                ["CONSIDERING the Agreement of 2015,"],
                ["WHEREAS the Parties cooperate;"],
                ["NOW, THEREFORE, the Parties agree:"],
            ],
        ),
        (  # a participle after a semicolon opens the next recital
            f"{PROSE}\nsecurity and in health;\nRecognizing the value of data sharing;",
            [[PROSE, "security and in health;"], ["Recognizing the value of data sharing;"]],
        ),
        (  # a signature block after the signing clause
            "Done at Zenda on 3 March 2024.\nFor the Government of Ruritania:\nAnna Kovac",
            [
                ["Done at Zenda on 3 March 2024."],
                ["For the Government of Ruritania:", "Anna Kovac"],
            ],
        ),
        (  # the end of a sentence on a line that was not wrapped
            f"{PROSE}\nthe life sciences.\nThe Participants will also meet every second year to",
            [
                [PROSE, "the life sciences."],
                ["The Participants will also meet every second year to"],
            ],
        ),
        (  # a sentence that ends at the wrap is one paragraph with the next
            f"{PROSE}\nthe life sciences, engineering, mathematics and the social sciences.\n"
            "The Participants will also meet every second year.",
            [
                [
                    PROSE,
                    "the life sciences, engineering, mathematics and the social sciences.",
                    "The Participants will also meet every second year.",
                ]
            ],
        ),
        (  # an abbreviation does not end the sentence
            f"{PROSE}\ncooperation with the U.S.\nNational Science Foundation and other agencies.",
            [
                [
                    PROSE,
                    "cooperation with the U.S.",
                    "National Science Foundation and other agencies.",
                ]
            ],
        ),
        (  # a number at the start of a wrapped line
            f"{PROSE}\n1.5 million euro per year.",
            [[PROSE, "1.5 million euro per year."]],
        ),
        (  # prose after a heading in capitals
            f"PURPOSE\n{PROSE}\nartificial intelligence.",
            [["PURPOSE"], [PROSE, "artificial intelligence."]],
        ),
        (  # a title block in capitals stays together
            "JOINT STATEMENT\nBY THE MINISTERS OF RESEARCH\nOF RURITANIA AND FREEDONIA",
            [["JOINT STATEMENT", "BY THE MINISTERS OF RESEARCH", "OF RURITANIA AND FREEDONIA"]],
        ),
        (  # a signature block of short lines stays together
            "For Ruritania:\nAnna Kovac\nMinister of Science and Education",
            [["For Ruritania:", "Anna Kovac", "Minister of Science and Education"]],
        ),
        (  # bullets
            "\u2022 data sharing\n\u2022 researcher exchanges",
            [["\u2022 data sharing"], ["\u2022 researcher exchanges"]],
        ),
    ],
)
def test_hard_wrapped_blocks_split_into_paragraphs(block: str, paragraphs: list[list[str]]) -> None:
    document = clean(block)
    assert _lines(document) == paragraphs
    assert bool(document.repairs) == (len(paragraphs) > 1)


MOU_AS_EXPORTED_FROM_A_PDF = (
    "MEMORANDUM OF UNDERSTANDING\n"
    "BETWEEN\n"
    "THE NATIONAL RESEARCH FOUNDATION OF RURITANIA\n"
    "AND\n"
    "THE FREEDONIAN CENTRE FOR SCIENTIFIC RESEARCH\n"
    "The National Research Foundation of Ruritania and the Freedonian Centre for\n"
    'Scientific Research (the "Participants"),\n'
    "Recognising the value of scientific coop-\n"
    "eration in artificial intelligence and the importance of state-of-the-\n"
    "art computing for research;\n"
    "Desiring to strengthen government-to-\n"
    "government dialogue between their research communities;\n"
    "Have reached the following understanding:\n"
    "1. The Participants will promote joint research projects in artificial intel-\n"
    "ligence and hold government-to-government consultations on research\n"
    "priorities.\n"
    "2. The Participants will each designate a point of contact for this Memo-\n"
    "randum and will convene a joint committee to review the cooperation and\n"
    "MoU NRF-FCSR Research Cooperation\n"
    "Page 1 of 2\n"
    "\f"
    "MoU NRF-FCSR Research Cooperation\n"
    "report to the heads of both organisations every two years.\n"
    "3. This Memorandum is not legally binding and does not create obligations\n"
    "under international law.\n"
    "Signed in Zenda on 3 March 2024, in two originals, in the English language.\n"
    "For the National Research Foundation of Ruritania:\n"
    "Anna Kovac\n"
    "President\n"
    "For the Freedonian Centre for Scientific Research:\n"
    "Pierre Laval\n"
    "Director General\n"
    "MoU NRF-FCSR Research Cooperation\n"
    "Page 2 of 2\n"
)


def test_an_mou_exported_from_a_pdf() -> None:
    document = clean(MOU_AS_EXPORTED_FROM_A_PDF)
    assert _lines(document) == [
        [
            "MEMORANDUM OF UNDERSTANDING",
            "BETWEEN",
            "THE NATIONAL RESEARCH FOUNDATION OF RURITANIA",
            "AND",
            "THE FREEDONIAN CENTRE FOR SCIENTIFIC RESEARCH",
        ],
        [
            "The National Research Foundation of Ruritania and the Freedonian Centre for",
            'Scientific Research (the "Participants"),',
        ],
        [
            "Recognising the value of scientific cooperation",
            "in artificial intelligence and the importance of state-of-the-art",
            "computing for research;",
        ],
        [
            "Desiring to strengthen government-to-government",
            "dialogue between their research communities;",
        ],
        ["Have reached the following understanding:"],
        [
            "1. The Participants will promote joint research projects in artificial intelligence",
            "and hold government-to-government consultations on research",
            "priorities.",
        ],
        [
            "2. The Participants will each designate a point of contact for this Memorandum",
            "and will convene a joint committee to review the cooperation and",
            "report to the heads of both organisations every two years.",
        ],
        [
            "3. This Memorandum is not legally binding and does not create obligations",
            "under international law.",
        ],
        ["Signed in Zenda on 3 March 2024, in two originals, in the English language."],
        ["For the National Research Foundation of Ruritania:"],
        ["Anna Kovac", "President"],
        ["For the Freedonian Centre for Scientific Research:"],
        ["Pierre Laval", "Director General"],
    ]
    assert document.repairs == (
        "removed 2 page numbers",
        "removed 3 running heads or footers ('MoU NRF-FCSR Research Cooperation')",
        "joined 1 paragraph split by a page break",
        "joined 3 words hyphenated at line ends",
        "kept the hyphen of 2 compounds broken at line ends",
        "split 1 block without blank lines into 13 paragraphs",
    )
    _assert_offsets_point_at_raw(document)
    item = document.paragraphs[6].text
    start, end = item.span
    assert MOU_AS_EXPORTED_FROM_A_PDF[start:end].endswith("every two years.")
    assert "Page 1 of 2" in MOU_AS_EXPORTED_FROM_A_PDF[start:end]  # the span covers the break


SUMMIT_DECLARATION_AS_SAVED_FROM_A_WEB_PAGE = (
    "Skip to main content\n\n"
    "An official website of the United States government\n"
    "Here's how you know\n\n"
    "Official websites use .gov\n"
    "A .gov website belongs to an official government organization in the United States.\n\n"
    "Menu\n"
    "Search\n\n"
    "Cookies on Example.gov\n\n"
    "We use some essential cookies to make this website work.\n\n"
    "Accept additional cookies\n"
    "Reject additional cookies\n"
    "View cookies\n\n"
    "[Home](#) > [News](#) > Zenda Summit Declaration\n\n"
    "Zenda Summit Declaration on Artificial Intelligence Research\n\n"
    "We, the leaders of Ruritania, Freedonia and Sylvania, meeting in Zenda on 3 June 2025,\n\n"
    "Recognising that research institutions should be free to contact one another and to "
    "share data across borders;\n\n"
    "Noting that studies which use cookies to observe online behaviour must respect the "
    "privacy of the persons observed;\n\n"
    "We intend to:\n\n"
    "1. Share information on research priorities;\n"
    "2. Establish a joint network of artificial intelligence research institutes.\n\n"
    "This Declaration does not give rise to legally binding obligations.\n\n"
    "Issued at Zenda on June 3, 2025.\n\n"
    "Share this page\n\n"
    "Is this page useful?\n"
    "Yes\n"
    "No\n"
    "Report a problem with this page\n\n"
    "Thank you for your feedback\n\n"
    "\u00a9 Crown copyright\n"
    "All content is available under the Open Government Licence v3.0, except where otherwise "
    "stated\n"
    "Privacy notice\n"
    "Terms and conditions\n"
    "Contact us\n"
    "Follow us\n"
    "Facebook\n"
    "LinkedIn\n"
)


def test_a_summit_declaration_saved_from_a_web_page() -> None:
    document = clean(SUMMIT_DECLARATION_AS_SAVED_FROM_A_WEB_PAGE)
    assert [paragraph.text.value for paragraph in document.paragraphs] == [
        "Home > News > Zenda Summit Declaration",
        "Zenda Summit Declaration on Artificial Intelligence Research",
        "We, the leaders of Ruritania, Freedonia and Sylvania, meeting in Zenda on 3 June 2025,",
        "Recognising that research institutions should be free to contact one another and to "
        "share data across borders;",
        "Noting that studies which use cookies to observe online behaviour must respect the "
        "privacy of the persons observed;",
        "We intend to:",
        "1. Share information on research priorities;",
        "2. Establish a joint network of artificial intelligence research institutes.",
        "This Declaration does not give rise to legally binding obligations.",
        "Issued at Zenda on June 3, 2025.",
    ]
    assert [paragraph.has_links for paragraph in document.paragraphs] == [True] + [False] * 9
    assert document.repairs == (
        "removed 8 web banner lines",
        "removed 5 cookie notice lines",
        "removed 5 feedback widget lines",
        "removed 8 web footer lines",
        "split 1 block without blank lines into 2 paragraphs",
    )
    _assert_offsets_point_at_raw(document)


@pytest.mark.parametrize(
    "path", [SEED, *sorted((Path(__file__).parent / "variants").glob("*.txt"))], ids=str
)
def test_every_cleaned_character_points_at_itself_in_raw(path: Path) -> None:
    _assert_offsets_point_at_raw(clean(path.read_text("utf-8")))


def test_the_seed_loses_only_two_footer_lines() -> None:
    document = clean(SEED.read_text("utf-8"))
    values = [paragraph.text.value for paragraph in document.paragraphs]
    assert len(values) == 43
    assert values[values.index("End Text") :] == [
        "End Text",
        "TAGS",
        "Bureau of Oceans and International Environmental and Scientific Affairs",
        "Technology",
        "White House",
        "USA.gov",
        "Office of the Inspector General",
        "Archives",
        "Accessibility Statement",  # links are navigation, read by the segmenter
        "Copyright Information",
        "FOIA",
        "No FEAR Act",
    ]
    assert document.repairs[0] == "removed 2 web footer lines"  # Contact Us, Privacy Policy
    assert len(document.repairs) == 2
    assert "page-break duplicate" in document.repairs[1]
