"""Queries run on a remote SPARQL 1.1 server, forwarded as they came (in the protocol's
URL-encoded form, which every server takes)."""

import asyncio
from urllib.parse import urlencode

import httpx2 as httpx

from accordkg.errors import InputError, QueryTimeoutError, StoreError, UnavailableError
from accordkg.sparql.runner import QueryAnswer, QueryJob
from accordkg.store.remote import FORM_TYPE


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
        try:
            response = await self._client.post(
                self._query_url,
                content=urlencode(form).encode("ascii"),
                headers={"Content-Type": FORM_TYPE, "Accept": job.result_format.media_type},
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
