"""The home page: what the graph holds, for people. The instruments in a table that is
complete in the HTML (api/web/home.js sorts, filters and searches it in place, and without
scripts it is still all there), the dataset's figures as VoID counts them, and the ways
in: the workbench, the explorer, the dumps, the VoID description, the API docs."""

from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from accordkg.linked_data.pages import VOID_PATH, PageLink
from accordkg.linked_data.templating import template
from accordkg.namespaces import AK
from accordkg.publishing.void import LINKED_DATASETS, DatasetStatistics
from accordkg.sparql.named_queries import named_query, run_named_query
from accordkg.store import Store

TABLE_QUERY = "instruments-table"
# The classes whose members are counted among the figures, and what a reader calls them.
FIGURES = (
    ("Instrument", "Instruments"),
    ("Party", "Parties"),
    ("State", "States"),
    ("Organization", "Organizations"),
    ("Person", "People"),
    ("Signature", "Signatures"),
    ("Recital", "Recitals"),
    ("Commitment", "Commitments"),
)


@dataclass(frozen=True)
class InstrumentRow:
    """One instrument as the table shows it; `date` is ISO text, which sorts as dates do."""

    link: PageLink
    form: str
    date: str
    parties: list[str]
    recitals: int
    commitments: int
    signatures: int
    legal_force: str


@dataclass(frozen=True)
class Figure:
    """One count of the dataset, named for a reader."""

    name: str
    value: int


def home_page(
    *,
    store: Store,
    ontology: Graph,
    base_iri: str,
    statistics: DatasetStatistics,
    dataset: dict[str, str],
    alternates: list[tuple[str, str, str]],
) -> str:
    """The home page. `dataset` has the dataset's `title`, `description` and `iri`;
    `alternates` are its description's RDF documents, as (media type, name, URL)."""
    rows = [
        InstrumentRow(
            link=PageLink(str(row["label"]), _page_path(base_iri, str(row["instrument"]))),
            form=_label(ontology, row["form"]),
            date=str(row.get("date") or ""),
            parties=sorted(p for p in str(row.get("parties") or "").split("\n") if p),
            recitals=int(row["recitals"]),
            commitments=int(row["commitments"]),
            signatures=int(row["signatures"]),
            legal_force=_label(ontology, row.get("legalForce")),
        )
        for row in run_named_query(store, named_query(TABLE_QUERY), {}, base_iri).rows
    ]
    return template("home.html").render(
        label=dataset["title"],
        description=dataset["description"],
        iri=dataset["iri"],
        types=[],
        alternates=alternates,
        void=VOID_PATH,
        truncated=False,
        instruments=rows,
        forms=sorted({r.form for r in rows}),
        legal_forces=sorted({r.legal_force for r in rows if r.legal_force}),
        figures=figures(statistics),
    )


def figures(statistics: DatasetStatistics) -> list[Figure]:
    """The counts a reader looks for first: triples, then entities by class, then links."""
    counts = [Figure("Triples", statistics.triples), Figure("Entities", statistics.entities)]
    counts += [Figure(name, statistics.classes.get(str(AK[term]), 0)) for term, name in FIGURES]
    counts += [
        Figure(f"Links to {linked.title}", statistics.links.get(linked.name, 0))
        for linked in LINKED_DATASETS
    ]
    return counts


def _page_path(base_iri: str, iri: str) -> str | None:
    """The path of the page about `iri` here, for an IRI of this dataset."""
    return f"/id/{iri.removeprefix(base_iri)}" if iri.startswith(base_iri) else None


def _label(ontology: Graph, term: object) -> str:
    """The ontology's English label of a term (a form, a legal force), or its IRI."""
    if not isinstance(term, URIRef):
        return ""
    labels = [v for v in ontology.objects(term, RDFS.label) if isinstance(v, Literal)]
    english = [v for v in labels if v.language in (None, "en")]
    return str((english or labels)[0]) if labels else str(term)
