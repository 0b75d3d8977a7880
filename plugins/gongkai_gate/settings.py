"""Settings of the gate plugin and their defaults."""

import re

from gongkai_core.site import DEFAULT_COLUMNS

DEFAULTS = {
    "GONGKAI_COLUMNS": DEFAULT_COLUMNS,
    "GONGKAI_PREVIEW": False,  # show unpublished entries, marked 预览·未公开 (never publishable)
    "GONGKAI_STRICT": False,  # any invalid entry fails the build (publishconf)
    "GONGKAI_CACHE": True,  # reuse what reading unchanged files gave (.gongkai/cache; never the verdicts)
    # sign-offs (docs/gate.md “审核签字”): an optional roster per step, {"drafted" | "section" | "secrecy" |
    # "approved": ["姓名", …]}, or {姓名: git e-mail} per step for strict mode; only these people may sign
    "GONGKAI_SIGNOFF_ROSTER": None,
    "GONGKAI_SIGNOFF_GIT": False,  # strict: each sign-off committed to git by that person's identity
    # 意见征集 online forms an entry may name (comments.form): {表单名: http(s) 网址} (gongkai_core.policylinks)
    "GONGKAI_CONSULTATION_FORMS": {},
    # 索引号 code of each publishing body, {发布机构: code} (docs/editing.md “目录信息”): an entry of a
    # listed publisher must use its code, and `invoke new --部门` numbers with it; others are not checked
    "GONGKAI_INDEX_CODES": {},
}
CHOICES = {"GONGKAI_PREVIEW": (True, False), "GONGKAI_STRICT": (True, False), "GONGKAI_CACHE": (True, False)}


def links_config(settings):
    """The settings the links between entries depend on (gongkai_core.policylinks.LinkConfig)."""
    from gongkai_core.policylinks import LinkConfig

    return LinkConfig(forms=dict(settings.get("GONGKAI_CONSULTATION_FORMS") or {}))


def signoff_policy(settings, uncommitted_as_current_user: bool = False):
    """(policy, problems) of the sign-off settings; the rules are gongkai_core.signoff's."""
    from gongkai_core.signoff import policy_from_settings

    return policy_from_settings(settings, uncommitted_as_current_user)


def index_code_problems(settings) -> list:
    """GONGKAI_INDEX_CODES: a {发布机构: code} dict, each code 4–18 letters or digits, no code twice."""
    from gongkai_core.errors import ConfigProblem

    codes = settings.get("GONGKAI_INDEX_CODES")
    if codes is None:
        return []
    if not isinstance(codes, dict):
        return [ConfigProblem("GONGKAI_INDEX_CODES", codes, "应为 {发布机构: 索引号代码} 的字典")]
    found, seen = [], {}
    for publisher, code in codes.items():
        if not isinstance(publisher, str) or not publisher.strip():
            found.append(ConfigProblem("GONGKAI_INDEX_CODES", publisher, "发布机构应为机构全称"))
        elif not isinstance(code, str) or not re.fullmatch(r"[A-Za-z0-9]{4,18}", code):
            found.append(
                ConfigProblem(
                    f"GONGKAI_INDEX_CODES[{publisher!r}]",
                    code,
                    "索引号代码应为4–18位字母或数字，如 SL0000101",
                )
            )
        elif code in seen:
            found.append(
                ConfigProblem(
                    f"GONGKAI_INDEX_CODES[{publisher!r}]",
                    code,
                    f"与“{seen[code]}”的代码相同：每个发布机构使用自己的代码",
                )
            )
        else:
            seen[code] = publisher
    return found
