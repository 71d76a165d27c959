"""Queries run on a remote SPARQL 1.1 server, forwarded as they came (in the protocol's
URL-encoded form, which every server takes)."""

import asyncio
import io
from urllib.parse import urlencode

import httpx2 as httpx
import pyoxigraph

from accordkg.errors import InputError, QueryTimeoutError, StoreError, UnavailableError
from accordkg.sparql.formats import Format
from accordkg.sparql.runner import QueryAnswer, QueryJob
from accordkg.sparql.text import query_form
from accordkg.sparql.writers import SolutionsWriter
from accordkg.store.remote import FORM_TYPE

JSON_RESULTS = "application/sparql-results+json"
# An ASK and one that says no, for booleans written by the engine's own writers.
ASKS = {True: "ASK {}", False: "ASK { FILTER(false) }"}


class RemoteQueries:
    """Queries forwarded to a remote SPARQL 1.1 server as they came, format included. The
    time limit ends our wait; stopping the work is the remote server's own timeout's job,
    and so is capping rows."""

    def __init__(self, query_url: str, timeout_s: float) -> None:
        self._query_url = query_url
        self._timeout_s = timeout_s
        self._client: httpx.AsyncClient | None = None

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._client = httpx.AsyncClient(timeout=self._timeout_s)

    async def run(self, job: QueryJob, client: str = "") -> QueryAnswer:
        if self._client is None:
            raise UnavailableError("the remote query client is not started")
        form = [("query", job.query)]
        form += [("default-graph-uri", g) for g in job.default_graphs]
        form += [("named-graph-uri", g) for g in job.named_graphs]
        ask = query_form(job.query) == "ASK"
        accept = JSON_RESULTS if ask else job.result_format.media_type
        try:
            response = await self._client.post(
                self._query_url,
                content=urlencode(form).encode("ascii"),
                headers={"Content-Type": FORM_TYPE, "Accept": accept},
            )
        except httpx.TimeoutException as exc:
            raise QueryTimeoutError(
                f"the remote SPARQL server did not answer within {self._timeout_s:g} s"
            ) from exc
        except httpx.HTTPError as exc:
            raise StoreError(f"the remote SPARQL server cannot be reached: {exc}") from exc
        if response.status_code == 400:
            raise InputError(response.text.strip())
        if response.status_code >= 300:
            raise StoreError(f"the remote SPARQL server answered {response.status_code}")
        if ask:
            return QueryAnswer(body=_boolean(response, job.result_format), truncated=False)
        return QueryAnswer(body=response.content, truncated=False)

    def invalidate(self) -> None:
        """Nothing is copied, so nothing goes stale."""

    def status(self) -> dict[str, object]:
        return {"remote": self._query_url}

    def ready(self) -> bool:
        """Whether the remote server answers is found out per query."""
        return self._client is not None

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None


def _boolean(response: httpx.Response, result_format: Format) -> bytes:
    """An ASK's answer, asked for in SPARQL JSON, written in the format the client chose.
    Virtuoso 7.2 answers an ASK with a table instead of a boolean, in every format: one row
    of `__ASK_RETVAL` 1 for yes, no row for no."""
    try:
        body = response.json()
        if "boolean" in body:
            value = bool(body["boolean"])
        else:
            rows = body["results"]["bindings"]
            value = bool(rows) and rows[0]["__ASK_RETVAL"]["value"] == "1"
    except (ValueError, KeyError, TypeError) as exc:
        raise StoreError(
            f"the remote SPARQL server answered an ASK without a boolean: {exc}"
        ) from exc
    if not isinstance(result_format.writer, SolutionsWriter):
        raise InputError(f"an ASK's answer is not written as {result_format.name}")
    output = io.BytesIO()
    result_format.writer.write(pyoxigraph.Store().query(ASKS[value]), iter, output)
    return output.getvalue()
