"""The statement of legal status, phrase by phrase."""

import pytest

from accordkg.extraction.legal_force import STATUS_PHRASES, legal_status
from tests.extraction.readings import assert_reading, ontology_scheme

LEGAL_STATUS = [
    # an exchange of notes that forms a treaty, and one that only proposes without the formula
    (
        "I have the honour to propose that this Note and Your Excellency's Note in reply "
        "shall constitute an agreement between the two Governments.",
        "binding",
        "shall constitute an agreement between the two Governments",
    ),
    (
        "Your Excellency's Note and this Note in reply shall constitute an agreement between "
        "the two Governments, which shall enter into force on the date of this Note.",
        "binding",
        "shall constitute an agreement between the two Governments",
    ),
    ("I have the honour to acknowledge the receipt of Your Excellency's Note.", None, None),
    # non-binding: the instrument's own statement, with its negation
    (
        "This Memorandum of Understanding is not intended to be legally binding.",
        "nonBinding",
        "is not intended to be legally binding",
    ),
    (
        "This Arrangement shall not be legally binding on either Participant.",
        "nonBinding",
        "shall not be legally binding",
    ),
    (
        "This Joint Statement does not give rise to legally binding obligations for its "
        "signatories.",
        "nonBinding",
        "does not give rise to legally binding obligations",
    ),
    (
        "Nothing in this Memorandum creates legally binding obligations between the Participants.",
        "nonBinding",
        "Nothing in this Memorandum creates legally binding obligations",
    ),
    (
        "Nothing in this Joint Statement is intended to create rights or obligations under "
        "international law.",
        "nonBinding",
        "Nothing in this Joint Statement is intended to create rights or obligations under "
        "international law",
    ),
    (
        "Nothing in this Memorandum shall be construed as giving rise to legally binding "
        "commitments.",
        "nonBinding",
        "Nothing in this Memorandum shall be construed as giving rise to legally binding "
        "commitments",
    ),
    (
        "Nothing in this Arrangement is legally binding.",
        "nonBinding",
        "Nothing in this Arrangement is legally binding",
    ),
    (
        "This Memorandum does not create any legally binding rights or obligations.",
        "nonBinding",
        "does not create any legally binding rights or obligations",
    ),
    (
        "The Participants understand that this Declaration is not a treaty.",
        "nonBinding",
        "is not a treaty",
    ),
    (
        "This Letter of Intent does not constitute an international agreement.",
        "nonBinding",
        "does not constitute an international agreement",
    ),
    (
        "This Arrangement shall not be deemed to constitute a treaty.",
        "nonBinding",
        "shall not be deemed to constitute a treaty",
    ),
    (
        "This is a non-binding arrangement between the two agencies.",
        "nonBinding",
        "is a non-binding arrangement",
    ),
    (
        "This non-binding Memorandum sets out the intentions of the Participants.",
        "nonBinding",
        "non-binding",
    ),
    (
        "This Joint Declaration is a statement of political intent.",
        "nonBinding",
        "is a statement of political intent",
    ),
    (
        "This document is an expression of political will and does not create legal obligations.",
        "nonBinding",
        "is an expression of political will",
    ),
    ("This Charter is politically binding only.", "nonBinding", "is politically binding only"),
    (
        "This Joint Declaration is politically but not legally binding.",
        "nonBinding",
        "is politically but not legally binding",
    ),
    (
        "This Memorandum is not enforceable under international law.",
        "nonBinding",
        "is not enforceable under international law",
    ),
    (
        "This Roadmap creates no legal obligations for the Participants.",
        "nonBinding",
        "creates no legal obligations",
    ),
    ("This Framework has no legal effect.", "nonBinding", "has no legal effect"),
    ("This Communiqué is without legal effect.", "nonBinding", "is without legal effect"),
    (
        "This Memorandum of Understanding is not legally binding under international law.",
        "nonBinding",
        "is not legally binding under international law",
    ),
    (
        "The Participants do not intend this MoU to be legally binding.",
        "nonBinding",
        "do not intend this MoU to be legally binding",
    ),
    (
        "The Signatories do not intend to create legally binding obligations by signing this "
        "Statement.",
        "nonBinding",
        "do not intend to create legally binding obligations",
    ),
    (
        "This Memorandum of Understanding is not intended to, and does not, create any legally "
        "binding obligations.",
        "nonBinding",
        "is not intended to, and does not, create any legally binding obligations",
    ),
    (
        "This Memorandum shall not be construed as creating legal obligations.",
        "nonBinding",
        "shall not be construed as creating legal obligations",
    ),
    ("THIS ARRANGEMENT IS NOT LEGALLY BINDING.", "nonBinding", "IS NOT LEGALLY BINDING"),
    (
        "This Joint Statement is not legally binding and does not create obligations under "
        "international law.",
        "nonBinding",
        "is not legally binding",
    ),
    (
        "This Declaration reflects the shared intentions of the Leaders and is not legally "
        "binding.",
        "nonBinding",
        "is not legally binding",
    ),
    (
        "This Memorandum, which records the Participants' shared understanding, is not a treaty.",
        "nonBinding",
        "is not a treaty",
    ),
    (
        'This Memorandum of Understanding on Research Cooperation (the "MoU") does not create '
        "legally binding obligations.",
        "nonBinding",
        "does not create legally binding obligations",
    ),
    (
        "The Participants sign this Statement in good faith; it is not legally binding.",
        "nonBinding",
        "is not legally binding",
    ),
    (
        "This Memorandum is not, and is not intended to be, legally binding.",
        "nonBinding",
        "is not, and is not intended to be, legally binding",
    ),
    (
        "This Arrangement does not legally bind the Participants.",
        "nonBinding",
        "does not legally bind",
    ),
    (
        "The provisions of this Memorandum are not legally binding.",
        "nonBinding",
        "are not legally binding",
    ),
    (
        "It is not intended that this Memorandum create legally binding obligations.",
        "nonBinding",
        "It is not intended that this Memorandum create legally binding obligations",
    ),
    (
        "No provision of this Memorandum is legally binding.",
        "nonBinding",
        "No provision of this Memorandum is legally binding",
    ),
    (
        "Neither this Memorandum nor any of its annexes is legally binding.",
        "nonBinding",
        "Neither this Memorandum nor any of its annexes is legally binding",
    ),
    (
        "This Memorandum is not an agreement governed by international law.",
        "nonBinding",
        "is not an agreement governed by international law",
    ),
    ("This MOU is non-binding.", "nonBinding", "is non-binding"),
    # binding
    (
        "This Agreement shall be legally binding on the Parties.",
        "binding",
        "shall be legally binding",
    ),
    ("The Parties confirm that this Protocol is legally binding.", "binding", "is legally binding"),
    (
        "This Agreement constitutes a legally binding agreement between the Parties.",
        "binding",
        "constitutes a legally binding agreement",
    ),
    (
        "This Agreement shall have binding force from the date of its entry into force.",
        "binding",
        "shall have binding force",
    ),
    (
        "This Convention shall be binding upon the Contracting Parties.",
        "binding",
        "shall be binding",
    ),
    (
        "This Agreement is a treaty governed by international law.",
        "binding",
        "is a treaty governed by international law",
    ),
    (
        "The Parties intend this Agreement to be legally binding under international law.",
        "binding",
        "intend this Agreement to be legally binding under international law",
    ),
    (
        "The provisions of this Agreement shall be binding on the Parties.",
        "binding",
        "shall be binding",
    ),
    # other instruments, other obligations, other senses of "binding": no statement
    (
        "Cooperation shall proceed without prejudice to the Parties' legally binding obligations "
        "under other agreements.",
        None,
        None,
    ),
    (
        "This Memorandum is without prejudice to the legally binding obligations of the "
        "Participants.",
        None,
        None,
    ),
    (
        "The Participants will act in accordance with their binding commitments under "
        "international law.",
        None,
        None,
    ),
    (
        "Activities under this Memorandum will be carried out consistent with applicable law.",
        None,
        None,
    ),
    (
        "Cooperation is subject to the laws and regulations of each Participant.",
        None,
        None,
    ),
    (
        "This MoU does not affect rights and obligations under other agreements to which the "
        "Participants are party.",
        None,
        None,
    ),
    (
        "Nothing in this Memorandum shall affect the rights and obligations of the Participants "
        "under international law.",
        None,
        None,
    ),
    (
        "This Memorandum does not create any rights or obligations for third parties.",
        None,
        None,
    ),
    (
        "Recalling the Agreement on Scientific Cooperation, which is legally binding on both "
        "Governments,",
        None,
        None,
    ),
    ("The Participants may develop non-binding guidelines on research data.", None, None),
    (
        "The Participants will organise a workshop on bookbinding and archival science.",
        None,
        None,
    ),
    (
        "The Parties will study binding constraints on compute for frontier models.",
        None,
        None,
    ),
    # what the instrument does not do for others is not its status
    ("This Agreement shall not be binding on third States.", None, None),
    ("This Memorandum does not create legal obligations for third parties.", None, None),
    # entry into force and ratification say nothing of status
    (
        "This Agreement shall enter into force on the date of the last notification.",
        None,
        None,
    ),
    ("This Agreement is subject to ratification, acceptance or approval.", None, None),
    ("The Participants intend to cooperate in artificial intelligence research.", None, None),
    # a text that says both is unclear
    (
        "This Memorandum of Understanding is not legally binding; this Implementing Arrangement "
        "shall be legally binding on the Participants.",
        None,
        None,
    ),
]


@pytest.mark.parametrize(("text", "expected", "quote"), LEGAL_STATUS)
def test_legal_status(text: str, expected: str | None, quote: str | None) -> None:
    assert_reading(legal_status(text), text, expected, quote)


def test_legal_forces_are_the_ontology_scheme() -> None:
    """Every legal force the rule returns names a concept of the ontology's scheme, and
    every concept of the scheme can be read."""
    assert {value for value, _ in STATUS_PHRASES} == ontology_scheme("legalForceScheme")
