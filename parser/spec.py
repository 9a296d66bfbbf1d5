"""Canonical keys of the annual report, as fixed by ``shared/spec/report-format.md``.

Everything downstream (storage cells, checks, exports, the web tables) iterates over these
tuples, so the order here is the order of the template.
"""

from __future__ import annotations

from typing import Final

TEMPLATES: Final = ("2021", "2019", "legacy")

# Table 2 (key ``active``) -------------------------------------------------------------
ACTIVE_2021: Final[dict[str, tuple[str, ...]]] = {
    "regulations": ("issued", "repealed", "in_force"),
    "normative_documents": ("issued", "repealed", "in_force"),
    "licensing": ("decisions",),
    "punishment": ("decisions",),
    "coercion": ("decisions",),
    "fees": ("amount",),
}

ACTIVE_2019: Final[dict[str, tuple[str, ...]]] = {
    "regulations": ("new_made", "new_published", "total_published"),
    "normative_documents": ("new_made", "new_published", "total_published"),
    "licensing": ("prior_items", "change", "decisions"),
    "other_services": ("prior_items", "change", "decisions"),
    "punishment": ("prior_items", "change", "decisions"),
    "coercion": ("prior_items", "change", "decisions"),
    "fees": ("prior_items", "change"),
    "procurement": ("items", "amount"),
}

#: Table 2 cells whose value is a decimal (万元); every other cell is an integer.
DECIMAL_CELLS: Final = frozenset({("fees", "amount"), ("procurement", "amount")})

# Table 3 (key ``applications``) -------------------------------------------------------
APPLICANT_COLUMNS: Final = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
)
APPLICATION_COLUMNS: Final = (*APPLICANT_COLUMNS, "total")

_OUTCOMES_HEAD: Final = (
    "granted",
    "partially_granted",
    "denied_state_secret",
    "denied_law_prohibited",
    "denied_security_stability",
    "denied_third_party",
    "denied_internal_affairs",
    "denied_process_info",
    "denied_enforcement_file",
    "denied_query_matter",
    "unable_not_held",
    "unable_needs_creation",
    "unable_still_unclear",
    "rejected_petition",
    "rejected_duplicate",
    "rejected_publication",
    "rejected_mass_repetitive",
    "rejected_confirmation",
)
OUTCOME_ROWS_2021: Final = (*_OUTCOMES_HEAD, "other_no_correction", "other_no_fee", "other_other")
OUTCOME_ROWS_2019: Final = (*_OUTCOMES_HEAD, "other_handling")

APPLICATION_ROWS_2021: Final = (
    "new_received",
    "carried_over",
    *OUTCOME_ROWS_2021,
    "total",
    "carried_forward",
)
APPLICATION_ROWS_2019: Final = (
    "new_received",
    "carried_over",
    *OUTCOME_ROWS_2019,
    "total",
    "carried_forward",
)

# Table 4 (key ``appeals``) ------------------------------------------------------------
APPEAL_GROUPS: Final = ("review", "litigation_direct", "litigation_after_review")
APPEAL_COLUMNS: Final = ("upheld", "corrected", "other", "pending", "total")

# Prose figures ------------------------------------------------------------------------
PROSE_KEYS: Final = (
    "active_items",
    "applications_received",
    "review_total",
    "litigation_total",
    "appeals_total",
    "fees_amount",
)

CELL_FLAGS: Final = ("blank", "resolved", "inferred", "ocr")
TABLES: Final = ("active", "applications", "appeals")


def active_layout(template: str) -> dict[str, tuple[str, ...]]:
    """Rows and columns of table 2 for a template (empty for ``legacy``)."""
    if template == "2021":
        return ACTIVE_2021
    if template == "2019":
        return ACTIVE_2019
    return {}


def application_rows(template: str) -> tuple[str, ...]:
    """Rows of table 3 for a template (empty for ``legacy``)."""
    if template == "2021":
        return APPLICATION_ROWS_2021
    if template == "2019":
        return APPLICATION_ROWS_2019
    return ()


def outcome_rows(template: str) -> tuple[str, ...]:
    """The outcome rows that T3.results sums (granted … other_*)."""
    return OUTCOME_ROWS_2019 if template == "2019" else OUTCOME_ROWS_2021
