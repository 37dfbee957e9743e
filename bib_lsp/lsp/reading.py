"""Reading the client's messages into lsprotocol's classes, by the JSON types.

``strict_converter`` takes a string, an integer, a number and a boolean only as that
JSON type (an integral number such as 2.0 is an integer: JSON has one kind of
number): cattrs alone converts what it is given (a number where a URI goes became
the string "5"). Params that cannot be read get InvalidParams (a request) or are
dropped (a notification), with one line saying where (``what_is_wrong``)."""

from __future__ import annotations

import re
from typing import Any

import cattrs
from cattrs.v import format_exception
from pygls.protocol import default_converter

MOST_PROBLEMS = 3  # told per message


class _WrongType(TypeError):
    """A value that is not of the JSON type a field wants (its message says so)."""


def _string(value: Any, _: type) -> str:
    if not isinstance(value, str):
        raise _WrongType(f"expected a string, not {_json_kind(value)}")
    return value


def _integer(value: Any, _: type) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise _WrongType(f"expected an integer, not {_json_kind(value)}")


def _number(value: Any, _: type) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise _WrongType(f"expected a number, not {_json_kind(value)}")


def _boolean(value: Any, _: type) -> bool:
    if not isinstance(value, bool):
        raise _WrongType(f"expected true or false, not {_json_kind(value)}")
    return value


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number" if isinstance(value, int) or value.is_integer() else "a fraction"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "an array"
    return "an object"


def strict_converter() -> cattrs.Converter:
    """pygls's converter (lsprotocol's, with pygls's hooks for messages of methods
    it does not know), taking primitive values only as their JSON type."""
    converter: cattrs.Converter = default_converter()  # type: ignore[no-untyped-call]
    for kind, hook in ((str, _string), (int, _integer), (float, _number), (bool, _boolean)):
        converter.register_structure_hook(kind, _exactly(kind, hook))
    return converter


def _exactly(kind: type, hook: Any) -> Any:
    """``hook`` for ``kind`` itself; a subclass (lsprotocol's enums are subclasses of
    int or str, and a hook registered for a class is taken for them) is read as
    cattrs reads it, by value (an enum takes only its own values: 1 is no "1")."""

    def structure(value: Any, cl: type) -> Any:
        return hook(value, cl) if cl is kind else cl(value)

    return structure


def _format(error: BaseException, kind: type | None) -> str:
    return str(error) if isinstance(error, _WrongType) else format_exception(error, kind)


def _camel(path: str) -> str:
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), path)


def what_is_wrong(error: Exception) -> str:
    """A message's problem in one line: for params that cannot be read, what was
    expected where (as a JSON path, `$.params.textDocument.uri`)."""
    if isinstance(error, cattrs.BaseValidationError):
        problems = []
        for problem in cattrs.transform_error(error, "$", _format):
            what, at, path = problem.rpartition(" @ ")
            problems.append(f"{what} at {_camel(path)}" if at else problem)
        more = len(problems) - MOST_PROBLEMS
        told = "; ".join(problems[:MOST_PROBLEMS]) + (f" (and {more} more)" if more > 0 else "")
        return " ".join(told.split())
    return " ".join(f"{type(error).__name__}: {error}".split())
