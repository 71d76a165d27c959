"""/explore: the graph explorer, a page that draws the /graph answers with Cytoscape.js in
the browser (api/web/explorer.js); the server only hands it the ontology's term labels."""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from accordkg.api.assets import ASSETS, VENDOR
from accordkg.linked_data.pages import EXPLORE
from accordkg.linked_data.templating import template
from accordkg.traversal.projection import COLLAPSED_PREDICATES, Vocabulary


def explore_router(vocabulary: Vocabulary) -> APIRouter:
    """The explorer page, rendered once: it changes only with the ontology."""
    router = APIRouter(include_in_schema=False)
    terms = {vocabulary.curie(iri): label for iri, label in sorted(vocabulary.labels.items())}
    terms |= {name: name for name in sorted(COLLAPSED_PREDICATES)}
    page = template("explore.html").render(terms=terms, assets=ASSETS, vendor=VENDOR)

    @router.get(EXPLORE, response_class=HTMLResponse)
    def explore() -> HTMLResponse:
        return HTMLResponse(page)

    return router
