"""User messages for what the case service refuses, in the user's language (codes → sentences)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from controlroom.services.cases import CaseConflict, CaseRuleError


def rule_message(code: str) -> str:
    """A translated sentence for a CaseRuleError code; unknown codes get a generic sentence."""
    messages = {
        "no_alert": QCoreApplication.translate("CaseMessages", "This alert no longer exists."),
        "no_case": QCoreApplication.translate("CaseMessages", "This case no longer exists."),
        "already_acknowledged": QCoreApplication.translate(
            "CaseMessages", "This alert has already been acknowledged."
        ),
        "reason_required": QCoreApplication.translate("CaseMessages", "Please give a reason."),
        "bad_duration": QCoreApplication.translate(
            "CaseMessages", "An alert can be shelved for at most 24 hours."
        ),
        "not_shelvable": QCoreApplication.translate(
            "CaseMessages", "This alert cannot be shelved in its current state."
        ),
        "closed": QCoreApplication.translate("CaseMessages", "This alert is closed."),
        "wrong_step": QCoreApplication.translate(
            "CaseMessages", "The playbook has moved on; the screen was reloaded."
        ),
        "records_missing": QCoreApplication.translate(
            "CaseMessages", "Fill in every required record before saving this outcome."
        ),
        "empty_note": QCoreApplication.translate("CaseMessages", "The note is empty."),
        "bad_media": QCoreApplication.translate(
            "CaseMessages", "Only images (PNG, JPEG, GIF, WebP) and PDF files can be attached."
        ),
        "bad_size": QCoreApplication.translate(
            "CaseMessages", "Attachments must be between 1 byte and 20 MB."
        ),
        "not_in_handling": QCoreApplication.translate(
            "CaseMessages", "The case is not in handling (it awaits sign-off or is closed)."
        ),
        "playbook_open": QCoreApplication.translate(
            "CaseMessages", "Finish the playbook steps before requesting sign-off."
        ),
        "evidence_missing": QCoreApplication.translate(
            "CaseMessages", "Without images or CCTV the cargo must be traced before sign-off."
        ),
        "bad_credentials": QCoreApplication.translate("CaseMessages", "Wrong user name or password."),
        "not_awaiting": QCoreApplication.translate("CaseMessages", "This case is not awaiting sign-off."),
        "insufficient_role": QCoreApplication.translate(
            "CaseMessages", "Your role cannot sign or close at this level."
        ),
        "not_signed": QCoreApplication.translate(
            "CaseMessages", "The case must be signed off before it can be closed."
        ),
    }
    return messages.get(code, QCoreApplication.translate("CaseMessages", "The action is not allowed now."))


def error_message(error: BaseException) -> str | None:
    """The sentence for an expected refusal, or None for a bug (which the caller logs)."""
    if isinstance(error, CaseConflict):
        return QCoreApplication.translate("CaseMessages", "Changed on another workstation — reloaded.")
    if isinstance(error, CaseRuleError):
        return rule_message(error.code)
    return None
