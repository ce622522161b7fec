"""The public pages of the feedback app — no login (FBK-3):

- `/feedback/s/<token>/`: the customer's satisfaction survey (tokenised, one answer, expiry; phone-sized).
- `/feedback/suggest/`: the suggestion box / online evaluation (seed 003 客户监督), rate-limited per IP
  like the online service form (`service/public.py`).
"""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from salesservice.core import ratelimit
from salesservice.core.choices import OrgUnitKind
from salesservice.core.exceptions import DomainError
from salesservice.core.models import OrgUnit

from . import survey_services
from .choices import QuestionKind, SuggestionKind
from .services import suggestion_submit

RATE_LIMIT = 5  # submissions per IP …
RATE_WINDOW_SECONDS = 3600  # … per hour


def _over_limit(request, scope: str) -> bool:
    """Count this submission; True when the IP already sent RATE_LIMIT within the window (any worker)."""
    return ratelimit.exceeded(
        f"feedback:{scope}", ratelimit.client_ip(request), limit=RATE_LIMIT, window=RATE_WINDOW_SECONDS
    )


# --- the survey page ---------------------------------------------------------------------------


def _answers_from_post(request, questions) -> dict:
    answers = {}
    for question in questions:
        name = f"q{question.pk}"
        if question.kind == QuestionKind.MULTIPLE:
            answers[name] = request.POST.getlist(name)
        else:
            answers[name] = request.POST.get(name, "")
    return answers


def _items(questions, given: dict, errors: set) -> list[dict]:
    """What the template draws per question: its input name, the options and what was already chosen."""
    items = []
    for question in questions:
        name = f"q{question.pk}"
        if question.kind == QuestionKind.RATING:
            options = [(str(n), "★" * n) for n in range(1, 6)]
        elif question.kind == QuestionKind.NPS:
            options = [(str(n), str(n)) for n in range(11)]
        else:
            options = [(option, option) for option in question.options]
        items.append(
            {
                "question": question,
                "name": name,
                "options": options,
                "selected": [str(v) for v in given.get(name, [])],
                "error": name in errors,
            }
        )
    return items


@require_http_methods(["GET", "POST"])
def survey_page(request, token):
    """FBK-3/FBK-4: the questionnaire behind a link. Unknown → 404, answered → 409, expired → 410,
    each with a clear Chinese page; a bad answer re-shows the form with the message (400)."""
    template_name = "feedback/public/survey.html"
    try:
        link = survey_services.survey_link_lookup(token)
    except DomainError as error:
        return render(request, template_name, {"error": error.message, "code": error.code}, status=error.status_code)
    questions = list(link.template.questions.order_by("order"))
    context_data = {"link": link, "items": _items(questions, {}, set()), "title": link.template.name}
    if request.method == "POST":
        answers = _answers_from_post(request, questions)
        try:
            survey_services.survey_submit(token, answers)
        except DomainError as error:
            status = error.status_code if error.code.startswith("survey.link") else 400
            if status != 400:
                return render(request, template_name, {"error": error.message, "code": error.code}, status=status)
            given = {key: value if isinstance(value, list) else [value] for key, value in answers.items()}
            context_data.update(form_error=error.message, items=_items(questions, given, set(error.fields or {})))
            return render(request, template_name, context_data, status=400)
        return render(request, template_name, {"done": True, "store": link.store})
    return render(request, template_name, context_data)


# --- the suggestion box ------------------------------------------------------------------------


class SuggestionForm(forms.Form):
    name = forms.CharField(label=_lazy("您的姓名"), max_length=60)
    phone = forms.RegexField(
        label=_lazy("联系电话（选填）"),
        regex=r"^\+?[0-9][0-9\- ]{6,19}$",
        max_length=20,
        required=False,
        error_messages={"invalid": _lazy("请填写正确的电话号码")},
    )
    store = forms.ModelChoiceField(
        label=_lazy("门店"),
        queryset=OrgUnit.objects.filter(kind=OrgUnitKind.STORE, is_active=True).order_by("code"),
        empty_label=_lazy("请选择门店"),
    )
    kind = forms.ChoiceField(label=_lazy("类型"), choices=SuggestionKind.choices, widget=forms.RadioSelect)
    rating = forms.TypedChoiceField(
        label=_lazy("总体评价（选填）"),
        choices=[("", "—")] + [(str(n), "★" * n) for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    text = forms.CharField(label=_lazy("内容"), widget=forms.Textarea(attrs={"rows": 5}), max_length=2000)
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # honeypot: people leave it empty


@require_http_methods(["GET", "POST"])
def suggestion_page(request):
    """FBK-3: GET the form; POST files the entry and thanks. Beyond 5 per IP per hour → 429."""
    template_name = "feedback/public/suggest.html"
    title = _("意见箱 · 在线评价")
    if request.method == "GET":
        return render(request, template_name, {"form": SuggestionForm(), "title": title})
    if _over_limit(request, "suggest"):
        return render(
            request,
            template_name,
            {"title": title, "limited": True, "error": _("提交过于频繁，请一小时后再试，或拨打 400 服务热线。")},
            status=429,
        )
    form = SuggestionForm(request.POST)
    if not form.is_valid():
        return render(request, template_name, {"form": form, "title": title}, status=400)
    data = form.cleaned_data
    if data.get("website"):
        return render(request, template_name, {"form": SuggestionForm(), "title": title}, status=400)
    try:
        suggestion = suggestion_submit(
            name=data["name"],
            phone=data.get("phone") or "",
            store=data["store"],
            kind=data["kind"],
            text=data["text"],
            rating=data.get("rating"),
        )
    except DomainError as error:
        form.add_error(None, str(error.message))
        return render(request, template_name, {"form": form, "title": title}, status=400)
    return render(request, template_name, {"title": title, "created": suggestion}, status=201)
