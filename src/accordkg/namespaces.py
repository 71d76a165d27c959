"""Every IRI the code spells lives here, so the vocabulary contract has one home."""

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD

AK = Namespace("https://w3id.org/accordkg/ontology#")
ONTOLOGY_IRI = URIRef("https://w3id.org/accordkg/ontology")
DEFAULT_BASE_IRI = "https://w3id.org/accordkg/id/"

ELI = Namespace("http://data.europa.eu/eli/ontology#")
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")

PREFIXES: dict[str, Namespace] = {
    "ak": AK,
    "dct": Namespace(str(DCTERMS)),
    "eli": ELI,
    "foaf": Namespace(str(FOAF)),
    "oa": OA,
    "org": ORG,
    "owl": Namespace(str(OWL)),
    "prov": Namespace(str(PROV)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "schema": SCHEMA,
    "sh": Namespace(str(SH)),
    "skos": Namespace(str(SKOS)),
    "void": Namespace(str(VOID)),
    "xsd": Namespace(str(XSD)),
}
