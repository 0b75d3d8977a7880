"""`invoke requests` (the open 依申请公开 requests by working days left, overdue first) and
`invoke new request [申请内容]` (a new request file in `requests/` with the next number).

The register's rules are in gongkai_core.requests_register; this is the terminal side only.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from gongkai_core import requests_register as rr
from gongkai_core.errors import GongkaiError
from gongkai_core.fieldspec import choices_text

from .args import ArgumentParser

STATE = {
    "supplement": "等待申请人补正（期限暂停）",
    "third_party": "征求第三方意见中",
    "extended": "已延长答复期限",
}


def _state(item: rr.OpenItem) -> str:
    r = item.request
    if item.deadline.due is None:
        return STATE["supplement"]
    parts = []
    if r.third_party_asked_on is not None and r.third_party_replied_on is None:
        parts.append(STATE["third_party"])
    if r.extended_on is not None:
        parts.append(STATE["extended"])
    if item.days_left is not None and item.days_left < 0:
        parts.insert(0, f"已逾期 {-item.days_left} 个工作日")
    return "；".join(parts) or "办理中"


def list_open(project: Path, today: date) -> int:
    register = rr.load_register(project)
    for p in register.problems:
        print(p)
    items = rr.open_requests(register, today)
    print(f"依申请公开：截至 {today}，未答复的申请 {len(items)} 件（逾期的在前）")
    for item in items:
        r, d = item.request, item.deadline
        due = f"答复期限 {d.due}，剩余 {item.days_left} 个工作日" if d.due and item.days_left >= 0 else ""
        if d.due and item.days_left < 0:
            due = f"答复期限 {d.due}"
        if d.due is None:
            due = f"{r.supplement_asked_on} 已告知补正"
        print(f"  {r.request_no}  收到 {r.received_on}  {due}  {_state(item)}  {r.path}")
    if register.problems:
        print(f"登记簿有 {len(register.problems)} 个问题，请按提示修改（以上 文件:行号）。")
        return 1
    return 0


_NUMBER = re.compile(r"^YSQ-(\d{4})-(\d+)$")


def next_number(register_dir: Path, year: int) -> str:
    """YSQ-<year>-<n+1>: after the highest number of that year among the register's file names and
    request_no values (a number is never reused)."""
    used = 0
    if register_dir.is_dir():
        for path in register_dir.rglob("*.y*ml"):
            names = [path.stem]
            text = path.read_text(encoding="utf-8", errors="ignore")
            names += re.findall(r"^request_no:\s*['\"]?(YSQ-\d{4}-\d+)", text, re.M)
            for name in names:
                m = _NUMBER.match(name)
                if m and int(m.group(1)) == year:
                    used = max(used, int(m.group(2)))
    return f"YSQ-{year}-{used + 1:04d}"


def scaffold_text(number: str, today: date, subject: str) -> str:
    """A new request: its number and today's date filled in, the other required keys empty (each
    says what it is), the optional ones as comments to uncomment when they happen."""
    values = {"request_no": number, "received_on": today.isoformat(), "subject": subject}
    lines = ["# 依申请公开登记（本文件只存于本机，不会公开；说明见 docs/requests.md）"]
    for f in rr.REQUEST_FIELDS:
        comment = f.label
        if f.kind == "choice":
            comment += "：" + choices_text(f.choices)
        if f.hint:
            comment += "；" + f.hint
        if f.kind == "list":
            lines.append(f"# {f.key}:  # {comment}，每项写 kind、filed_on、result")
        elif f.required:
            value = values.get(f.key) or ""
            lines.append(f"{f.key}: {value}  # {comment}" if value else f"{f.key}:  # {comment}")
        elif f.key == "fee":
            lines.append(f"{f.key}: 0  # {comment}")
        else:
            lines.append(f"# {f.key}:  # {comment}")
    return "\n".join(lines) + "\n"


def new_request(project: Path, today: date, subject: str) -> Path:
    folder = project / rr.FOLDER
    number = next_number(folder, today.year)
    target = folder / f"{number}.yaml"
    if target.exists():  # pragma: no cover - next_number counts the file names
        raise GongkaiError(f"{target} 已存在")
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(scaffold_text(number, today, subject), encoding="utf-8")
    return target


def new_main(argv: list[str], today: date) -> int:
    p = ArgumentParser(
        prog="invoke new request",
        usage="invoke new request [申请内容]",
        description="登记一件新收到的政府信息公开申请：requests/ 下的新文件，编号和收到日期已填好",
    )
    p.add_argument("subject", nargs="*", metavar="申请内容", help="申请公开的信息（可稍后在文件中填写）")
    args = p.parse_args(argv)
    path = new_request(Path.cwd(), today, " ".join(args.subject))
    print(f"已登记 {path.relative_to(Path.cwd()).as_posix()}")
    print("请填写空着的必填项（申请方式、申请人类别、申请人等）；invoke requests 会列出答复期限。")
    return 0
