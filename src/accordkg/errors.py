"""The one exception tree of accordkg.

Third-party exceptions are translated into these where they enter the code, so callers
(the CLI, the HTTP layer) handle accordkg errors only. Each class carries the HTTP status
it is answered with (`status`, a plain int: the core knows no web framework), so the
status of an error is its own class's, however the classes are ordered::

    AccordError                 anything accordkg refuses or fails to do
    ├── InputError              a file or value from outside cannot be read or parsed
    │   ├── UnsupportedMediaTypeError   a request body of a type we do not read
    │   └── ContentTooLargeError        a request body past the size or parsing-time limit
    ├── NotFoundError           something asked for by name does not exist
    ├── UnauthorizedError       a write without credentials
    ├── ForbiddenError          a write with wrong credentials, or writes switched off
    ├── NotAcceptableError      no representation the client accepts can be given
    ├── QueryTimeoutError       a query ran past its time limit and was stopped
    ├── QueryMemoryError        a query needed more memory than a query worker may use
    ├── UnavailableError        no query worker became free in time
    ├── ValidationError         a graph breaks the SHACL shapes; carries the violations
    ├── InconsistencyError      the reasoner proves the ontology plus data inconsistent
    ├── ReasonerError           the reasoner could not run at all (no Java, a crash)
    └── StoreError              the store or its data directory cannot be opened or written
"""

from dataclasses import dataclass


class AccordError(Exception):
    """Base of every error accordkg raises on purpose."""

    status = 500


class InputError(AccordError):
    """A file or value from outside cannot be read or parsed."""

    status = 400


class UnsupportedMediaTypeError(InputError):
    """A request body arrived in a media type this operation does not read."""

    status = 415


class ContentTooLargeError(InputError):
    """A request body larger than the server takes, or one that took longer to parse than
    the limit allows (it was stopped): either way, send less at a time."""

    status = 413


class NotFoundError(AccordError):
    """Something asked for by name (a named query, a resource) does not exist."""

    status = 404


class UnauthorizedError(AccordError):
    """A write came without the credentials writes need."""

    status = 401


class ForbiddenError(AccordError):
    """A write came with wrong credentials, or this server takes no writes at all."""

    status = 403


class NotAcceptableError(AccordError):
    """None of the formats the client accepts can represent the answer."""

    status = 406


class QueryTimeoutError(AccordError):
    """A query ran past the time limit; its worker was stopped and replaced."""

    status = 503


class QueryMemoryError(AccordError):
    """A query needed more memory than a query worker may use; the worker was replaced."""

    status = 503


class UnavailableError(AccordError):
    """Every query worker stayed busy (or was starting) for longer than a request may wait."""

    status = 503


@dataclass(frozen=True)
class Violation:
    """One SHACL result, reduced to what a person needs to fix the data."""

    focus_node: str
    path: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.focus_node} {self.path}" if self.path else self.focus_node
        return f"{where}: {self.message}"


class ValidationError(AccordError):
    """A graph does not conform to the shapes; nothing of it may be loaded."""

    status = 422

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        lines = "\n".join(f"  - {v}" for v in violations)
        super().__init__(f"{len(violations)} SHACL violation(s):\n{lines}")


class InconsistencyError(AccordError):
    """The reasoner proved the ontology and the data contradict each other."""

    status = 500


class ReasonerError(AccordError):
    """The reasoner could not run, so nothing was proved either way."""

    status = 500


class StoreError(AccordError):
    """The triple store, or the data directory it lives in, cannot be opened, read or
    written (a full disk, a read-only directory)."""

    status = 503
