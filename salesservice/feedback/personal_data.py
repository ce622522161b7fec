"""Feedback's part of data-subject requests (PIPL; see `core.personal_data`).

Follow-ups and their attempts record what the customer said; survey responses hold their scores and their own
words; the suggestion box holds a name and a phone typed by whoever wrote in. A suggestion is the customer's
when its phone is one of theirs (customer, contacts, service requests) or when it became one of their
complaints.

None of these is a record TRC-4 makes us keep (satisfaction and suggestions are not receipt-inspection or
sales records), so nothing here is restricted: texts lose every identifying value, text answers are cleared
(scores stay, for the statistics), suggestions lose name and phone.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext as _

from salesservice.core.personal_data import REDACTED, erase_rows, identity, row

from .models import FollowUp, FollowUpAttempt, Suggestion, SurveyAnswer, SurveyLink, SurveyResponse


def suggestions(customer):
    phones = [value for value, kind in identity(customer).items() if kind == "phone"]
    condition = Q(phone__in=phones) if phones else Q(pk__in=[])
    try:
        complaint = apps.get_model("complaints", "Complaint")
    except LookupError:
        complaint = None
    if complaint is not None:
        condition |= Q(complaint_id__in=complaint.objects.filter(customer=customer).values("pk"))
    return Suggestion.objects.filter(condition).order_by("submitted_at")


class FollowUps:
    """回访 and their attempts."""

    label = "回访"
    models = (FollowUp, FollowUpAttempt)

    def export(self, customer) -> dict[str, list[dict]]:
        follow_ups = list(FollowUp.objects.filter(customer=customer).order_by("due_at"))
        return {
            _("回访"): [
                row(
                    f,
                    (
                        "number",
                        "store",
                        "kind",
                        "source_number",
                        "due_at",
                        "status",
                        "outcome",
                        "satisfaction",
                        "issues_raised",
                        "completed_at",
                    ),
                )
                for f in follow_ups
            ],
            _("回访尝试"): [
                row(a, ("follow_up", "attempted_at", "channel", "reached", "note"))
                for a in FollowUpAttempt.objects.filter(follow_up__in=follow_ups).select_related("follow_up")
            ],
        }

    def restrict(self, customer, *, actor) -> list:
        return []

    def erase(self, customer, *, actor) -> list:
        follow_ups = list(FollowUp.objects.filter(customer=customer))
        common = {"actor": actor, "customer": customer}
        result = erase_rows(follow_ups, label=_("回访"), scrub=("outcome", "issues_raised", "close_reason"), **common)
        erase_rows(list(FollowUpAttempt.objects.filter(follow_up__in=follow_ups)), label="", scrub=("note",), **common)
        return result


class Surveys:
    """问卷答复 (with the answers) and the links they came through."""

    label = "问卷答复"
    models = (SurveyLink, SurveyResponse, SurveyAnswer)

    def export(self, customer) -> dict[str, list[dict]]:
        rows = []
        for response in SurveyResponse.objects.filter(customer=customer).select_related("template", "store"):
            answers = {
                answer.question.text: answer.score if answer.score is not None else (answer.text or answer.choices)
                for answer in response.answers.select_related("question")
            }
            rows.append(row(response, ("template", "store", "source_number", "submitted_at"), {_("答案"): answers}))
        return {_("问卷答复"): rows}

    def restrict(self, customer, *, actor) -> list:
        return []

    def erase(self, customer, *, actor) -> list:
        responses = list(SurveyResponse.objects.filter(customer=customer))
        common = {"actor": actor, "customer": customer}
        result = erase_rows(responses, label=_("问卷答复"), scrub=("source_number",), **common)
        answers = list(SurveyAnswer.objects.filter(response__in=responses).exclude(text=""))
        erase_rows(answers, label="", blank={"text": ""}, **common)
        return result


class Suggestions:
    """客户意见 from the suggestion box that are the customer's."""

    label = "客户意见"
    models = (Suggestion,)

    def export(self, customer) -> dict[str, list[dict]]:
        return {
            _("客户意见"): [
                row(s, ("number", "name", "phone", "store", "kind", "rating", "text", "status", "submitted_at"))
                for s in suggestions(customer).select_related("store")
            ]
        }

    def restrict(self, customer, *, actor) -> list:
        return []

    def erase(self, customer, *, actor) -> list:
        return erase_rows(
            list(suggestions(customer)),
            label=_("客户意见"),
            blank={"name": REDACTED, "phone": ""},
            scrub=("text", "triage_note"),
            actor=actor,
            customer=customer,
        )


HANDLERS = [FollowUps(), Surveys(), Suggestions()]
