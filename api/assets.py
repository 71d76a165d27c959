"""The browser pages' own files and the libraries they use (api/web, its npm packages
copied to api/web/vendor by the Makefile), and the API docs drawn with them: every asset
is served from here, so a page works where no other host can be reached."""

from importlib.resources import as_file, files

from fastapi import APIRouter
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/assets"
VENDOR = f"{ASSETS}/vendor"


def assets() -> StaticFiles:
    """`/assets/…`: the files of api/web, with validators (ETag, Last-Modified); links
    followed, as an editable install is a tree of them."""
    with as_file(files("accordkg.api").joinpath("web")) as directory:
        return StaticFiles(directory=directory, follow_symlink=True)


def docs_router(openapi_url: str, title: str) -> APIRouter:
    """`/docs` (Swagger UI) and `/redoc` (Redoc) on locally served scripts, no web fonts."""
    router = APIRouter(include_in_schema=False)

    @router.get("/docs")
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{title}: API",
            swagger_js_url=f"{VENDOR}/swagger-ui-bundle.js",
            swagger_css_url=f"{VENDOR}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon.svg",
        )

    @router.get("/redoc")
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url,
            title=f"{title}: API",
            redoc_js_url=f"{VENDOR}/redoc.standalone.js",
            redoc_favicon_url=f"{ASSETS}/favicon.svg",
            with_google_fonts=False,
        )

    return router
