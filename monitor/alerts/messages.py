"""Alert messages in Chinese, rendered from sandboxed Jinja2 templates.

The templates (``title.j2``, ``body.j2``, ``digest.j2``, ``digest_title.j2``) ship with the
package; a directory named by ``monitor.alerts.templates`` in the config file overrides any
of them. Templates run in ``SandboxedEnvironment`` with ``StrictUndefined``: a template
cannot reach Python internals, and a typo is an error, not an empty string.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from monitor.errors import AlertConfigError

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"

KIND_LABELS = {
    "missing": "年度报告缺失",
    "due": "年度报告即将到期",
    "late": "年度报告逾期发布",
    "identity": "勾稽关系不符",
    "carryover": "上年结转不衔接",
    "in_force": "现行有效件数不衔接",
    "prose_mismatch": "正文与表格不符",
    "jump": "数据异常波动",
    "changed": "报告发布后被修改",
    "removed": "报告被撤下",
    "copied": "内容雷同",
    "crawl_failing": "网站抓取失败",
}
SEVERITY_LABELS = {"high": "严重", "medium": "一般", "low": "提示"}

#: evidence keys shown as "the numbers" of an alert, with their Chinese names
NUMBER_LABELS = {
    "days_late": "逾期天数",
    "days_overdue": "超期天数",
    "days_left": "剩余天数",
    "deadline": "截止日期",
    "previous": "上年",
    "current": "本年",
    "ratio": "倍数",
    "prose_value": "正文数字",
    "table_value": "表格数字",
    "similarity": "相似度",
    "other_agency_name": "雷同对象",
    "other_year": "雷同年度",
    "status": "HTTP状态",
    "failures": "连续失败次数",
}


@dataclass(frozen=True)
class Message:
    alert_id: int
    key: str
    event: str
    title: str
    body: str
    tags: tuple[str, ...]
    notify_type: str  # apprise NotifyType value


class Renderer:
    def __init__(self, override_dir: Path | None = None) -> None:
        paths = [str(override_dir)] if override_dir else []
        if override_dir is not None and not override_dir.is_dir():
            raise AlertConfigError(str(override_dir), "alert template directory not found")
        self._env = SandboxedEnvironment(
            loader=jinja2.FileSystemLoader([*paths, str(PACKAGE_TEMPLATES)]),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # plain-text messages; Apprise escapes per service
            keep_trailing_newline=False,
        )

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        try:
            return self._env.get_template(name).render(**context).strip()
        except jinja2.TemplateError as exc:
            where = getattr(exc, "filename", None) or name
            raise AlertConfigError(str(where), f"alert template error: {exc}") from exc

    def digest(self, messages: Sequence[Message]) -> tuple[str, str]:
        context = {"messages": messages, "count": len(messages), "digest_title": None}
        return self.render("digest_title.j2", context), self.render("digest.j2", context)


def numbers(evidence: Mapping[str, Any]) -> list[tuple[str, Any]]:
    out = [
        (label, evidence[k]) for k, label in NUMBER_LABELS.items() if evidence.get(k) is not None
    ]
    if evidence.get("similarity") is not None:
        out = [(n, f"{v:.0%}" if n == "相似度" else v) for n, v in out]
    return out


def notify_type(event: str, severity: str) -> str:
    if event == "resolved":
        return "success"
    return {"high": "failure", "medium": "warning"}.get(severity, "info")
