"""jsontext.dumps is json.dumps(ensure_ascii=False, indent=1) to the byte, for random documents of
every kind of value, and leaves what json spells in its own way to json.dumps."""

from __future__ import annotations

import json
import random

import pytest
from gongkai_core import jsontext
from markupsafe import Markup

LEAVES = [
    "",
    "示例县",
    'a"b\\c\n\t\u2028',
    "\x00\x1f",
    0,
    -7,
    10**30,
    1.5,
    -0.0,
    1e-7,
    2.5e20,
    True,
    False,
    None,
]


def random_value(rng: random.Random, depth: int) -> object:
    roll = rng.random()
    if depth > 3 or roll < 0.4:
        return rng.choice(LEAVES)
    if roll < 0.7:
        return {
            rng.choice(["b", "a", "索引号", "z", "", "é"]): random_value(rng, depth + 1)
            for _ in range(rng.randint(0, 4))
        }
    items = [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return tuple(items) if rng.random() < 0.2 else items


@pytest.mark.parametrize("sort_keys", [False, True])
def test_same_text_as_json_dumps(sort_keys: bool) -> None:
    rng = random.Random(2 + sort_keys)
    for _ in range(2000):
        value = random_value(rng, 0)
        assert jsontext.dumps(value, sort_keys=sort_keys) == json.dumps(
            value, ensure_ascii=False, indent=1, sort_keys=sort_keys
        )


@pytest.mark.parametrize(
    "value",
    [
        {"a": float("nan")},
        [float("inf")],
        {1: "int key", "b": None},
        {"m": Markup("<b>x</b>")},
        {"n": type("Number", (int,), {})(3)},
    ],
)
def test_what_json_spells_its_own_way_goes_to_json(value: object) -> None:
    assert jsontext.dumps(value) == json.dumps(value, ensure_ascii=False, indent=1)
