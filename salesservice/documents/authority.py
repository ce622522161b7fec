"""DOC-1: the document authority `core.policy` asks before a policy parameter changes.

Registered in `DocumentsConfig.ready()` (`core.policy.register_document_authority`), so core never imports this
app. A value may be set only by a version that is approved or issued and whose document covers the parameter's
clause (`PolicyParameter.source_clause`); the version is locked while the value is written, so it cannot be
withdrawn half-way.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from .choices import AUTHORISING_STATUSES
from .models import DocumentVersion


def version_label(version) -> str:
    return f"{version.document.code} {version.document.title} {version.label}"


class PolicyDocumentAuthority:
    def authorize(self, *, parameter, document_version, actor) -> tuple[str, str]:
        try:
            pk = int(getattr(document_version, "pk", document_version))
        except (TypeError, ValueError):
            return "", _("依据文件版本无效")
        queryset = DocumentVersion.objects.all()
        if actor is not None:
            queryset = queryset.visible_to(actor)
        version = queryset.select_for_update(of=("self",)).select_related("document").filter(pk=pk).first()
        if version is None:
            return "", _("依据文件版本不存在或不在您的范围内")
        label = version_label(version)
        if version.status not in AUTHORISING_STATUSES:
            return "", _("%(doc)s 状态为“%(status)s”：只有已批准或已发布的文件版本可以作为政策参数变更的依据") % {
                "doc": label,
                "status": version.get_status_display(),
            }
        clause = parameter.source_clause
        if not clause:
            return "", _("该参数未标明政策条款，无法核对依据文件")
        if not version.document.clauses.filter(clause=clause).exists():
            return "", _("%(doc)s 未覆盖该参数的条款 %(clause)s") % {"doc": label, "clause": clause}
        return label, ""

    def choices(self, *, parameter, actor) -> list[tuple[int, str]]:
        if not parameter.source_clause:
            return []
        queryset = DocumentVersion.objects.visible_to(actor) if actor is not None else DocumentVersion.objects.all()
        versions = (
            queryset.filter(status__in=AUTHORISING_STATUSES, document__clauses__clause=parameter.source_clause)
            .select_related("document")
            .order_by("document__code", "-revision")
        )
        return [(v.pk, f"{version_label(v)}（{v.get_status_display()}）") for v in versions]

    def url(self, document_ref) -> str:
        return reverse("documents:version-detail", args=[document_ref])
