"""`json.dumps(value, ensure_ascii=False, indent=1)` for the downloads (the catalog, the 规范性文件库):
the same text, made without json's indenting encoder, which is pure Python and yields a piece per
token (~0.5 s for a 10,000-entry catalog). Strings go through the C function json itself uses; any
value json would spell in its own way (not str, int, float, bool, None, list, tuple or a dict of
str keys, or a float that is not finite) goes to json.dumps itself."""

from __future__ import annotations

import json

_encode_str = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses
_INFINITE = (float("inf"), float("-inf"))


class _Unusual(Exception):
    """A value left to json.dumps."""


def dumps(value: object, *, sort_keys: bool = False) -> str:
    out: list[str] = []
    try:
        _emit(value, "\n", out, sort_keys)
    except _Unusual:
        return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=sort_keys)
    return "".join(out)


def _emit(value: object, newline: str, out: list[str], sort_keys: bool) -> None:
    kind = type(value)
    if kind is str:
        out.append(_encode_str(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is float:
        if value != value or value in _INFINITE:
            raise _Unusual
        out.append(float.__repr__(value))
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + " "
        separator = "{" + inner
        for key, item in sorted(value.items()) if sort_keys else value.items():
            if type(key) is not str:
                raise _Unusual
            out.append(separator)
            out.append(_encode_str(key))
            out.append(": ")
            _emit(item, inner, out, sort_keys)
            separator = "," + inner
        out.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = newline + " "
        separator = "[" + inner
        for item in value:
            out.append(separator)
            _emit(item, inner, out, sort_keys)
            separator = "," + inner
        out.append(newline + "]")
    else:
        raise _Unusual
