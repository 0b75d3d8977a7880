"""gongkai_core.values.fmt_figure (the theme's gk_num, a table cell as a page shows it)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai_core.values import fmt_decimal, fmt_figure


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1234.5"), "1,234.5"),
        (Decimal("1234.50"), "1,234.50"),
        (Decimal("-1234567.89"), "-1,234,567.89"),
        (Decimal("0.00"), "0.00"),
        (Decimal("-0.00"), "-0.00"),
        (Decimal("0.0001"), "0.0001"),
        (Decimal("1E+2"), "100"),
        (Decimal("12"), "12"),
        (7, "7"),
        ("-7.35%", "-7.35%"),
        ("其中：", "其中："),
        (None, ""),
    ],
)
def test_a_cell_keeps_its_own_decimals_with_thousands_separators(value, shown):
    assert fmt_figure(value) == shown


def test_a_decimal_is_shown_as_with_its_exponent_read_out():
    # what gk_num did before: fmt_decimal with as many places as the Decimal has
    for text in ("0", "3.1", "-42.125", "1000000", "9.99E+5", "5E-3", "123456789.0123"):
        value = Decimal(text)
        exponent = value.as_tuple().exponent
        assert fmt_figure(value) == fmt_decimal(value, -exponent if exponent < 0 else 0)
