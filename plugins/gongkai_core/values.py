"""Editor scalars to typed values: money, areas, counts, years, dates, and their display.

Every scalar from `yamlload.load` is a str (or None). The parsers here raise `BadValue`
with a Chinese sentence; validators turn it into a `Problem` with the line of the key.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from . import dates
from .errors import GongkaiError

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋：／　", "0123456789.,-+:/ ")
_NUMBER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")
# one comma where the decimal point belongs (2924,74): not a thousands comma, which groups three digits
COMMA_DECIMAL = re.compile(r"[+-]?\d+,\d+")

MONEY_PLACES = 2  # 万元, to the cent of 万元 as tables print it
AREA_PLACES = 4  # 公顷


class BadValue(GongkaiError):
    """A scalar that is not what its field needs; the message is Chinese and says the fix."""


def normalise(text: str) -> str:
    """Full-width digits and punctuation to ASCII, surrounding spaces removed."""
    return text.translate(_FULLWIDTH).strip()


# What most cells are, ASCII digits with a point: read without normalise() and as_tuple(), to the
# same Decimal. Anything else (full-width, signs, commas, too many decimals) takes the full path.
_PLAIN = re.compile(r"[0-9]+(?:\.([0-9]+))?")
_QUANTUM = {places: Decimal(1).scaleb(-places) for places in range(8)}


# Digits before the point: 10^15 万元 is ten million times a year's national budget, and a sum
# of a table's rows stays far within Decimal's 28 digits (past them quantize cannot round).
MAX_WHOLE_DIGITS = 15


def parse_decimal(value: object, places: int, what: str = "金额", unit: str = "万元") -> Decimal:
    """A non-empty decimal with at most `places` decimals; thousands commas are accepted."""
    if type(value) is str and places in _QUANTUM and (plain := _PLAIN.fullmatch(value)) is not None:
        decimals = plain.group(1)
        whole = len(value) - (len(decimals) + 1 if decimals is not None else 0)
        if (decimals is None or len(decimals) <= places) and whole <= MAX_WHOLE_DIGITS:
            return Decimal(value).quantize(_QUANTUM[places])
    if value is None:
        raise BadValue(f"{what}为空，请填写数字（单位：{unit}）")
    text = normalise(str(value))
    if not _NUMBER.fullmatch(text):
        if COMMA_DECIMAL.fullmatch(text):
            raise BadValue(
                f"{what}“{value}”中的逗号应为小数点：请写成 {text.replace(',', '.')}（单位：{unit}）"
            )
        raise BadValue(
            f"{what}“{value}”不是数字，请填写阿拉伯数字，如 {Decimal(1204.5):.{places}f}（单位：{unit}）"
        )
    number = Decimal(text.replace(",", ""))
    digits, exponent = number.as_tuple()[1:]
    if isinstance(exponent, int) and -exponent > places:
        raise BadValue(f"{what}“{value}”的小数超过{places}位，请按{unit}保留{places}位小数")
    if len(digits) + exponent > MAX_WHOLE_DIGITS and number != 0:
        raise BadValue(
            f"{what}“{value}”的整数部分超过{MAX_WHOLE_DIGITS}位，不是可能的数额：请检查是否多写了数字，单位是否为{unit}"
        )
    return number.quantize(Decimal(1).scaleb(-places))


def parse_count(value: object, what: str = "数量") -> int:
    """A whole number ≥ 0."""
    if value is None:
        raise BadValue(f"{what}为空，请填写整数，没有请填 0")
    text = normalise(str(value))
    if not re.fullmatch(r"\d+", text):
        raise BadValue(f"{what}“{value}”应为不小于0的整数")
    return int(text)


def parse_year(value: object, what: str = "年度") -> int:
    text = normalise(str(value)) if value is not None else ""
    if not re.fullmatch(r"(19|20|21)\d\d", text):
        raise BadValue(f"{what}“{value}”应为四位年份，如 2025")
    return int(text)


def parse_date(value: object, what: str = "日期") -> date:
    """2025-01-20 or 2025年1月20日, full-width digits allowed; impossible dates are refused."""
    try:
        return dates.parse_date(None if value is None else str(value))
    except dates.DateFormatError as exc:
        raise BadValue(f"{what}{exc}") from None


def fmt_decimal(number: Decimal, places: int = MONEY_PLACES) -> str:
    """1204.5 -> '1,204.50': thousands separators, fixed decimals, a real minus sign kept ASCII."""
    return f"{number:,.{places}f}"


def fmt_figure(value: object) -> str:
    """A table cell as a page shows it (the theme's `gk_num`): a Decimal with thousands separators
    and its own number of decimals; other values as text, None as nothing."""
    if isinstance(value, Decimal):
        # "f" without a precision keeps the Decimal's own decimals (none for a positive exponent)
        return format(value, ",f")
    return "" if value is None else str(value)


def fmt_money(number: Decimal) -> str:
    return fmt_decimal(number, MONEY_PLACES)


def fmt_area(number: Decimal) -> str:
    return fmt_decimal(number, AREA_PLACES)


def change_rate(current: Decimal, previous: Decimal) -> Decimal | None:
    """增减率 in percent, 2 decimals, half up; None when the previous figure is 0 (shown as “—”)."""
    if previous == 0:
        return None
    try:
        rate = (current - previous) / previous * 100
    except InvalidOperation:  # pragma: no cover - Decimal division by a non-zero finite never fails
        return None
    return rate.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class YearOverYear:
    """增减 and 增减率 of a figure with `current` and `previous` (budget 类 totals, 三公 items)."""

    current: Decimal
    previous: Decimal

    @property
    def change(self) -> Decimal:
        return self.current - self.previous

    @property
    def rate(self) -> Decimal | None:
        return change_rate(self.current, self.previous)


def fmt_rate(rate: Decimal | None) -> str:
    return "—" if rate is None else f"{rate:.2f}%"
