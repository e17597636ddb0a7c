"""Decoding of a feed payload into a JSON object, refusing everything the contract does not allow.

protocol.md: "Payload: one UTF-8 JSON object". On top of :func:`json.loads` this refuses:

- bytes that are not UTF-8, and NUL bytes (a UTF-16/UTF-32 payload of ASCII text is otherwise
  valid UTF-8 and would surface as a confusing JSON syntax error);
- ``NaN``, ``Infinity`` and ``-Infinity`` (not JSON, although Python accepts them) and number
  literals that overflow a double (``1e999`` would become infinity);
- duplicate member names in an object (RFC 8259 leaves their meaning undefined: a payload that
  names ``unit_id`` twice could be read differently by two parsers);
- strings holding an unpaired UTF-16 surrogate escape (``"\\ud800"``): they cannot be encoded as
  UTF-8 and would fail later, in storage or on screen;
- nesting too deep for the parser.

A leading UTF-8 byte order mark is ignored, as RFC 8259 section 8.1 allows.
Error details never quote the payload.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Literal

__all__ = ["PayloadError", "decode_object"]

_BOM = b"\xef\xbb\xbf"
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_MEMBER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")


class PayloadError(Exception):
    """The payload is not one acceptable JSON object. ``code`` is a Rejection code."""

    def __init__(self, code: Literal["encoding", "json", "not_object"], detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


class _Refused(ValueError):
    """Raised from json.loads hooks; carries the detail."""


def _no_constant(name: str) -> Any:
    raise _Refused(f"invalid JSON: {name} is not a JSON value")


def _finite_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise _Refused("invalid JSON: a number is too large for a double")
    return value


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for name, _ in pairs:
            if name in seen:
                shown = f" {name!r}" if _MEMBER_NAME.fullmatch(name) else ""
                raise _Refused(f"invalid JSON: an object has the member name{shown} more than once")
            seen.add(name)
    return obj


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array"  # json.loads yields nothing else once objects are excluded


def decode_object(payload: bytes) -> dict[str, Any]:
    """The JSON object in ``payload``; raises :class:`PayloadError` and nothing else."""
    if payload.startswith(_BOM):
        payload = payload[len(_BOM) :]
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PayloadError(
            "encoding", f"payload is not valid UTF-8 ({exc.reason} at byte {exc.start})"
        ) from None
    if "\x00" in text:
        raise PayloadError(
            "encoding", "payload contains NUL bytes: it looks like UTF-16 or UTF-32, not UTF-8"
        )
    try:
        value = json.loads(
            text,
            object_pairs_hook=_unique_members,
            parse_constant=_no_constant,
            parse_float=_finite_float,
        )
    except _Refused as exc:
        raise PayloadError("json", str(exc)) from None
    except json.JSONDecodeError as exc:
        raise PayloadError(
            "json", f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except ValueError:
        # int() refusing a literal longer than sys.get_int_max_str_digits()
        raise PayloadError("json", "invalid JSON: a number literal is too long") from None
    except RecursionError:
        raise PayloadError("json", "invalid JSON: nesting is too deep") from None
    if not isinstance(value, dict):
        raise PayloadError("not_object", f"payload is a JSON {_type_name(value)}, not an object")
    if _SURROGATE_ESCAPE.search(text):
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise PayloadError(
                "encoding", "a string holds an unpaired UTF-16 surrogate escape, which is not Unicode text"
            ) from None
        except RecursionError:
            raise PayloadError("json", "invalid JSON: nesting is too deep") from None
    return value
