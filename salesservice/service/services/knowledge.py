"""The knowledge base (SRV-3 step 7, FBK-5): articles, publishing, drafts from closed requests, similar
articles while a request is taken."""

from __future__ import annotations

import re

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from salesservice.core.audit import service
from salesservice.core.events import record_event
from salesservice.core.exceptions import (
    ConflictError,
    DomainError,
    NotFoundError,  # noqa: F401 — re-exported for callers
)
from salesservice.core.guards import check_version, require_perm

from ..choices import (
    EventType,
    KnowledgeStatus,
    ServiceCategory,
)
from ..errors import ServiceErrorCode
from ..models import KnowledgeArticle, ServiceRequest
from ..workflows import KNOWLEDGE_WORKFLOW, REQUEST_WORKFLOW
from .common import (
    KNOWLEDGE_FIELDS,
    _get_request,
    _plain,
)

# --- knowledge base (SRV-3 step 7, FBK-5) ---------------------------------------------------


def _search_text(article: KnowledgeArticle) -> str:
    return f"{article.title}\n{article.body}".lower()


def _get_article(actor, article_id, *, lock: bool = True) -> KnowledgeArticle:
    queryset = KnowledgeArticle.objects.all() if actor is None else KnowledgeArticle.objects.visible_to(actor)
    if lock:
        queryset = queryset.select_for_update()
    article = queryset.filter(pk=article_id).first()
    if article is None:
        raise NotFoundError(ServiceErrorCode.KNOWLEDGE_NOT_FOUND, _("知识库文章不存在"))
    return article


def _validate_article(article: KnowledgeArticle) -> None:
    if not article.title.strip():
        raise DomainError(ServiceErrorCode.KNOWLEDGE_TITLE_REQUIRED, _("请填写标题"), fields={"title": [_("必填")]})
    if not article.body.strip():
        raise DomainError(ServiceErrorCode.KNOWLEDGE_BODY_REQUIRED, _("请填写正文"), fields={"body": [_("必填")]})
    if article.service_category and article.service_category not in ServiceCategory.values:
        raise DomainError(
            ServiceErrorCode.KNOWLEDGE_INVALID_CATEGORY, _("无效的服务类别"), fields={"service_category": [_("无效")]}
        )
    if article.product_id and article.product_category_id is None:
        article.product_category_id = article.product.category_id


@service
def knowledge_article_create(
    *,
    actor,
    title: str,
    body: str,
    service_category: str = "",
    product_category=None,
    product=None,
    source_request: ServiceRequest | None = None,
) -> KnowledgeArticle:
    """FBK-5: draft a knowledge-base article (published separately by a supervisor)."""
    require_perm(actor, "service.add_knowledgearticle")
    article = KnowledgeArticle(
        title=(title or "").strip()[:200],
        body=(body or "").strip(),
        service_category=service_category or "",
        product_category=product_category,
        product=product,
        source_request=source_request,
        created_by=actor,
    )
    _validate_article(article)
    article.search_text = _search_text(article)
    article.save()
    record_event(event_type=EventType.KNOWLEDGE_CREATED, target=article, actor=actor, new={"title": article.title})
    return article


@service
def knowledge_article_update(*, actor, article_id: int, expected_version: int, **changes) -> KnowledgeArticle:
    """Edit an article (title, body, categories, product); stale version → 409."""
    require_perm(actor, "service.change_knowledgearticle")
    unknown = set(changes) - set(KNOWLEDGE_FIELDS)
    if unknown:
        raise DomainError(
            ServiceErrorCode.KNOWLEDGE_UNKNOWN_FIELDS, _("不可修改的字段：%s") % ", ".join(sorted(unknown))
        )
    article = _get_article(actor, article_id)
    check_version(article, expected_version)
    changed = {}
    for field, value in changes.items():
        if isinstance(value, str):
            value = value.strip()
        if value is None and field in ("title", "body", "service_category"):
            value = ""
        if getattr(article, field) != value:
            setattr(article, field, value)
            changed[field] = _plain(value) if field not in ("body",) else "…"
    if not changed:
        return article
    _validate_article(article)
    article.search_text = _search_text(article)
    article.version += 1
    article.save()
    record_event(event_type=EventType.KNOWLEDGE_UPDATED, target=article, actor=actor, new=changed)
    return article


@service
def knowledge_article_publish(*, actor, article_id: int, expected_version: int | None = None) -> KnowledgeArticle:
    """FBK-5: make a draft visible to every service desk. Needs `publish_knowledgearticle`."""
    require_perm(actor, "service.publish_knowledgearticle")
    article = _get_article(actor, article_id)
    check_version(article, expected_version)
    KNOWLEDGE_WORKFLOW.check(article, "publish")
    article.published_by = actor
    article.published_at = timezone.now()
    KNOWLEDGE_WORKFLOW.move(article, KnowledgeStatus.PUBLISHED, actor=actor, fields=("published_by", "published_at"))
    record_event(event_type=EventType.KNOWLEDGE_PUBLISHED, target=article, actor=actor)
    return article


@service
def knowledge_article_withdraw(*, actor, article_id: int, reason: str = "") -> KnowledgeArticle:
    """Take a published article back to draft (outdated or wrong). Needs `publish_knowledgearticle`."""
    require_perm(actor, "service.publish_knowledgearticle")
    article = _get_article(actor, article_id)
    KNOWLEDGE_WORKFLOW.check(article, "withdraw")
    KNOWLEDGE_WORKFLOW.move(article, KnowledgeStatus.DRAFT, actor=actor, reason=reason)
    record_event(event_type=EventType.KNOWLEDGE_WITHDRAWN, target=article, actor=actor, message=reason)
    return article


def knowledge_draft_text(request: ServiceRequest) -> tuple[str, str]:
    """The title and body a case summary gives (SRV-3 step 7): symptom, cause, solution."""
    subject = request.product.name if request.product_id else request.get_category_display()
    symptom = request.description.strip().splitlines()[0][:60] if request.description.strip() else ""
    title = f"{subject}：{symptom}"[:200]
    body = "\n\n".join(
        [
            f"【故障现象】\n{request.description.strip()}",
            f"【原因分析】\n{request.root_cause.strip() or '—'}",
            f"【解决方案】\n{request.solution.strip() or '—'}",
            f"【来源】服务单 {request.number}（{request.get_category_display()}）",
        ]
    )
    return title, body


@service
def knowledge_from_request(*, actor, request_id: int) -> KnowledgeArticle:
    """FBK-5: draft an article from a closed request's case summary (root cause and solution)."""
    require_perm(actor, "service.add_knowledgearticle")
    request = _get_request(actor, request_id, lock=False)
    if not REQUEST_WORKFLOW.allows(request, "to-knowledge"):
        raise ConflictError(ServiceErrorCode.KNOWLEDGE_REQUEST_NOT_CLOSED, _("只有已结案的服务单才能总结为知识库文章"))
    title, body = knowledge_draft_text(request)
    return knowledge_article_create(
        actor=actor,
        title=title,
        body=body,
        service_category=request.category,
        product_category=request.product.category if request.product_id else None,
        product=request.product,
        source_request=request,
    )


_SPLIT = re.compile(
    r"[\s\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65,.;:!?()\[\]{}\"'/\\|<>@#$%^&*+=~`-]+"
)
_STOP_SHINGLES = {"客户", "问题", "需要", "进行", "一个", "没有", "可以", "我们", "已经", "情况"}


def shingles(text: str, limit: int = 40) -> list[str]:
    """Keywords of Chinese text without a segmenter: 2-character shingles of each run between
    punctuation, plus whole Latin/digit words (model numbers). Order kept, duplicates dropped."""
    seen: dict[str, None] = {}
    for part in _SPLIT.split((text or "").lower()):
        if not part:
            continue
        for word in re.findall(r"[a-z0-9]{2,}", part):
            seen.setdefault(word, None)
        han = re.sub(r"[a-z0-9]+", " ", part)
        for run in han.split():
            if len(run) == 1:
                continue
            for index in range(len(run) - 1):
                gram = run[index : index + 2]
                if gram not in _STOP_SHINGLES:
                    seen.setdefault(gram, None)
        if len(seen) >= limit:
            break
    return list(seen)[:limit]


def similar_articles(text: str, product=None, category=None, limit: int = 5) -> list[KnowledgeArticle]:
    """Published articles that look like `text` (suggested while a request is typed; FBK-5).

    Cheap: candidates are the published articles containing any of the text's shingles (one query),
    scored by how many shingles they contain (a title hit counts double), plus a bonus for the same
    product or service category. `category` is a service category value (or a ProductCategory).
    """
    keys = shingles(text)
    if not keys:
        return []
    condition = Q()
    for key in keys:
        condition |= Q(search_text__contains=key)
    candidates = KnowledgeArticle.objects.published().filter(condition).select_related("product", "product_category")
    product_id = getattr(product, "pk", product)
    scored = []
    for article in candidates[:200]:
        title = article.title.lower()
        score = sum(2 if key in title else 1 for key in keys if key in article.search_text)
        if product_id and article.product_id == product_id:
            score += 3
        if isinstance(category, str) and category and article.service_category == category:
            score += 1
        elif category is not None and getattr(category, "pk", None) and article.product_category_id == category.pk:
            score += 2
        scored.append((score, article.pk, article))
    scored.sort(key=lambda item: (-item[0], -item[1]))
    return [article for score, _pk, article in scored if score >= 2][:limit]
