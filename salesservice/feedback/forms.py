"""Forms of the feedback staff pages: they parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import CHOICE_KINDS, AttemptChannel, FollowUpStatus, QuestionKind


class AttemptForm(forms.Form):
    channel = forms.ChoiceField(label=_("方式"), choices=AttemptChannel.choices)
    reached = forms.BooleanField(label=_("已联系上客户"), required=False)
    note = forms.CharField(label=_("说明"), max_length=1000, required=False)
    give_up = forms.BooleanField(label=_("多次未联系上，标记为“未联系上”"), required=False)


class CompleteForm(forms.Form):
    channel = forms.ChoiceField(label=_("方式"), choices=AttemptChannel.choices)
    satisfaction = forms.TypedChoiceField(
        label=_("满意度"),
        choices=[(str(n), f"{n} ★") for n in range(5, 0, -1)],
        coerce=int,
        error_messages={"required": _("请选择满意度"), "invalid_choice": _("满意度须为 1–5 分")},
    )
    outcome = forms.CharField(label=_("回访结果"), max_length=2000, error_messages={"required": _("请填写回访结果")})
    issues_raised = forms.CharField(label=_("客户反映的问题/意见建议"), max_length=2000, required=False)


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("关闭说明"), max_length=300, required=False)

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        """A follow-up not yet done needs a reason to be closed: the placeholder says so."""
        form = cls(data, files)
        hint = _("说明（可选）") if obj.status == FollowUpStatus.DONE else _("未完成回访须填写原因")
        form.fields["reason"].widget.attrs.update({"class": "form-control", "placeholder": hint})
        return form


class OpenIssueForm(forms.Form):
    description = forms.CharField(
        label=_("问题描述"),
        max_length=2000,
        error_messages={"required": _("请填写客户反映的问题")},
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    field_ids = "id_%s"

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        """Prefilled with the issue the customer raised on the follow-up."""
        return cls(data, files, initial={"description": obj.issues_raised}, auto_id=cls.field_ids)


class OpenRequestForm(OpenIssueForm):
    """`open-request`: the issue becomes a new service request."""

    field_ids = "open-request-%s"


class OpenComplaintForm(OpenIssueForm):
    """`open-complaint`: the issue becomes a complaint (both forms are on the follow-up page: own field ids)."""

    field_ids = "open-complaint-%s"


class TriageForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("处理"),
        choices=[("suggestion", _("归类为建议")), ("complaint", _("转为投诉")), ("close", _("关闭"))],
    )
    note = forms.CharField(label=_("处理说明"), max_length=1000, required=False)

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        """The decisions offered: converting into a complaint only when the complaints app is available (the
        service refuses it otherwise; the form still parses it, so that refusal keeps its message)."""
        from .services import complaint_create_function

        form = cls(data, files)
        can_convert = complaint_create_function() is not None
        form.decisions = [(v, label) for v, label in form.fields["decision"].choices if v != "complaint" or can_convert]
        return form


def questions_from_post(data) -> list[dict]:
    """The question rows of the template editor (q-<n>-kind/text/options/required), blank rows skipped."""
    questions = []
    index = 0
    while f"q-{index}-kind" in data or f"q-{index}-text" in data:
        kind = data.get(f"q-{index}-kind", "")
        text = data.get(f"q-{index}-text", "").strip()
        index += 1
        if not kind and not text:
            continue
        options = []
        if kind in CHOICE_KINDS:
            raw = data.get(f"q-{index - 1}-options", "")
            options = [o.strip() for o in raw.replace("，", ",").replace("\n", ",").split(",") if o.strip()]
        questions.append(
            {
                "kind": kind if kind in QuestionKind.values else kind or "",
                "text": text,
                "options": options,
                "required": bool(data.get(f"q-{index - 1}-required")),
            }
        )
    return questions
