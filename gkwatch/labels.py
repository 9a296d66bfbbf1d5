"""Chinese labels of the canonical keys (spec ``report-format.md``), for people to read.

The parser's ``spec`` fixes the keys and their order; this module only names them the way the
template prints them, so that the terminal and the dashboard lay the tables out like the form.
"""

from __future__ import annotations

from typing import Final

TABLE_TITLES: Final = {
    "active": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "appeals": "四、政府信息公开行政复议、行政诉讼情况",
}

ACTIVE_ROWS: Final = {
    "regulations": "规章",
    "normative_documents": "行政规范性文件",
    "licensing": "行政许可",
    "other_services": "其他对外管理服务事项",
    "punishment": "行政处罚",
    "coercion": "行政强制",
    "fees": "行政事业性收费",
    "procurement": "政府集中采购",
}

ACTIVE_COLUMNS: Final = {
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "decisions": "处理决定数量",
    "amount": "金额（万元）",
    "new_made": "本年新制作数量",
    "new_published": "本年新公开数量",
    "total_published": "对外公开总数量",
    "prior_items": "上一年项目数量",
    "change": "本年增/减",
    "items": "采购项目数量",
}

APPLICATION_COLUMNS: Final = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "social_welfare": "社会公益组织",
    "legal_service": "法律服务机构",
    "other_org": "其他",
    "total": "总计",
}

APPLICATION_ROWS: Final = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开",
    "partially_granted": "（二）部分公开",
    "denied_state_secret": "（三）不予公开 1.属于国家秘密",
    "denied_law_prohibited": "2.其他法律行政法规禁止公开",
    "denied_security_stability": "3.危及“三安全一稳定”",
    "denied_third_party": "4.保护第三方合法权益",
    "denied_internal_affairs": "5.属于三类内部事务信息",
    "denied_process_info": "6.属于四类过程性信息",
    "denied_enforcement_file": "7.属于行政执法案卷",
    "denied_query_matter": "8.属于行政查询事项",
    "unable_not_held": "（四）无法提供 1.本机关不掌握相关政府信息",
    "unable_needs_creation": "2.没有现成信息需要另行制作",
    "unable_still_unclear": "3.补正后申请内容仍不明确",
    "rejected_petition": "（五）不予处理 1.信访举报投诉类申请",
    "rejected_duplicate": "2.重复申请",
    "rejected_publication": "3.要求提供公开出版物",
    "rejected_mass_repetitive": "4.无正当理由大量反复申请",
    "rejected_confirmation": "5.要求行政机关确认或重新出具已获取信息",
    "other_no_correction": "（六）其他处理 1.申请人逾期不补正",
    "other_no_fee": "2.申请人逾期未缴纳费用",
    "other_other": "3.其他",
    "other_handling": "（六）其他处理",
    "total": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}

APPEAL_GROUPS: Final = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼·未经复议直接起诉",
    "litigation_after_review": "行政诉讼·复议后起诉",
}

APPEAL_COLUMNS: Final = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}

PROSE: Final = {
    "active_items": "主动公开政府信息（条）",
    "applications_received": "收到政府信息公开申请（件）",
    "review_total": "行政复议（件）",
    "litigation_total": "行政诉讼（件）",
    "appeals_total": "行政复议和行政诉讼（件）",
    "fees_amount": "收取信息处理费（元）",
}

RULES: Final = {
    "T3.balance": "表三：本年新收 + 上年结转 = 总计 + 结转下年度",
    "T3.rows": "表三：每行总计 = 六类申请人之和",
    "T3.results": "表三：总计 = 各办理结果之和",
    "T4.groups": "表四：总计 = 维持 + 纠正 + 其他 + 尚未审结",
    "X.carry": "跨年度：本年“上年结转” = 上年“结转下年度”",
    "X.in_force": "跨年度：现行有效 = 上年现行有效 + 本年制发 − 本年废止",
}

LEVELS: Final = {
    "province": "省级",
    "city": "市级",
    "county": "县级",
    "township": "乡镇/街道",
    "department": "部门",
}

KINDS: Final = {
    "missing": "未发布",
    "due": "即将到期",
    "late": "逾期发布",
    "identity": "勾稽关系不符",
    "carryover": "跨年结转不符",
    "in_force": "现行有效件数不符",
    "prose_mismatch": "正文与表格不符",
    "jump": "数据异常波动",
    "copied": "内容雷同",
    "changed": "发布后被修改",
    "removed": "报告被删除",
    "crawl_failing": "抓取持续失败",
}


def kind(name: str) -> str:
    return KINDS.get(name, name)


SEVERITIES: Final = {"high": "高", "medium": "中", "low": "低"}

STATUSES: Final = {
    "on_time": "按时发布",
    "late": "逾期发布",
    "missing": "未发布",
    "not_due": "未到期",
}

TEMPLATES: Final = {"2021": "2021 版格式", "2019": "2019 版格式", "legacy": "旧版（无标准表格）"}


def rule(name: str) -> str:
    return RULES.get(name, name)
