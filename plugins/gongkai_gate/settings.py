"""Settings of the gate plugin and their defaults."""

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
