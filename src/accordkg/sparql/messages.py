"""The messages a query worker and its pool exchange over the worker's pipe.

The pool sends `Run` (a job, and the store generation it must run on) or `Stop` (nobody
reads the answer any more). A worker says `Ready` once its copy of the store is loaded
(or `CannotStart`), then answers each job with `Whole`, or with `Head`, `Chunk`s and
`End` when the answer is large; `Failed` before the head, `Aborted` after it, and
`Stopped` when a `Stop` ended the answer.
"""

from dataclasses import dataclass
from enum import Enum

from accordkg.errors import AccordError, InputError, StoreError
from accordkg.sparql.runner import QueryJob


@dataclass(frozen=True)
class Run:
    generation: int
    job: QueryJob


@dataclass(frozen=True)
class Stop:
    pass


@dataclass(frozen=True)
class Ready:
    pass


@dataclass(frozen=True)
class CannotStart:
    reason: str


@dataclass(frozen=True)
class Whole:
    body: bytes
    truncated: bool
    seconds: float  # the CPU time the worker spent on it: what tells a light query


@dataclass(frozen=True)
class Head:
    truncated: bool


@dataclass(frozen=True)
class Chunk:
    data: bytes


@dataclass(frozen=True)
class End:
    pass


class Cause(Enum):
    """Why a query failed: the query's text, what it asked of the data, or the store."""

    SYNTAX = "syntax"
    INPUT = "input"
    STORE = "store"


@dataclass(frozen=True)
class Failed:
    cause: Cause
    message: str

    def error(self) -> AccordError:
        """The accordkg error for this failure, wherever the query ran."""
        if self.cause is Cause.SYNTAX:
            return InputError(f"SPARQL syntax error {self.message}")
        if self.cause is Cause.INPUT:
            return InputError(self.message)
        return StoreError(f"the query failed: {self.message}")


@dataclass(frozen=True)
class Aborted:
    message: str


@dataclass(frozen=True)
class Stopped:
    pass


ToWorker = Run | Stop
FromWorker = Ready | CannotStart | Whole | Head | Chunk | End | Failed | Aborted | Stopped
