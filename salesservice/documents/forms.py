"""Forms of the document-control pages (DOC-1): a new document with its first draft, a draft's edit, and the
workflow actions' inputs."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesservice.core.models import OrgUnit
from salesservice.core.roles import ROLES
from salesservice.core.scoping import visible_unit_ids

from .choices import DocumentKind
from .clauses import clause_choices

FILE_HELP = _("PDF 或 Word（.pdf / .doc / .docx），不超过 20 MB")


def _units_for(user):
    queryset = OrgUnit.objects.filter(is_active=True).order_by("path")
    ids = None if user.is_superuser else visible_unit_ids(user)
    return queryset if ids is None else queryset.filter(pk__in=ids)


class DocumentForm(forms.Form):
    """A controlled document and its first draft (V1)."""

    code = forms.CharField(label=_("文件编号"), max_length=40, help_text=_("如 SS-QP-001（大写字母、数字、连字符）"))
    title = forms.CharField(label=_("文件名称"), max_length=200)
    kind = forms.ChoiceField(label=_("类别"), choices=DocumentKind.choices)
    org_unit = forms.ModelChoiceField(label=_("归口单位"), queryset=OrgUnit.objects.none())
    clauses = forms.MultipleChoiceField(
        label=_("覆盖的政策条款"), choices=(), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    concerned_roles = forms.MultipleChoiceField(
        label=_("须阅读的岗位"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(label=_("适用范围"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    change_summary = forms.CharField(
        label=_("修订说明"), initial=_("首次发布"), widget=forms.Textarea(attrs={"rows": 2})
    )
    file = forms.FileField(label=_("文件正文"), required=False, help_text=FILE_HELP)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = _units_for(user)
        self.fields["clauses"].choices = clause_choices()
        self.fields["concerned_roles"].choices = [(r.code, r.label) for r in ROLES if r.org_scoped]
        for name, field in self.fields.items():
            if not isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs.setdefault(
                    "class", "form-select" if name in ("kind", "org_unit", "clauses") else "form-control"
                )

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class VersionForm(forms.Form):
    """A draft: its change summary and file (a new revision, or the edit of a draft)."""

    change_summary = forms.CharField(
        label=_("修订说明"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )
    file = forms.FileField(
        label=_("文件正文"),
        required=False,
        help_text=FILE_HELP,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )


class ApproveForm(forms.Form):
    note = forms.CharField(
        label=_("审批意见"), max_length=500, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500, widget=forms.TextInput(attrs={"class": "form-control"}))


class IssueForm(forms.Form):
    effective_date = forms.DateField(
        label=_("生效日期"),
        required=False,
        help_text=_("留空为今天；可设为以后某日，届时替代现行版本"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )

    @classmethod
    def for_action(cls, *, obj, user, data=None, files=None):
        return cls(data, initial={"effective_date": timezone.localdate()}) if data is None else cls(data)
