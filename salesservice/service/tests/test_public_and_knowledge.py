"""SRV-1 online form (no login, rate-limited) and the knowledge base (FBK-5): search, publish, suggestions."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from salesservice.customers.models import Customer

from .. import services
from ..choices import Channel, KnowledgeStatus
from ..models import KnowledgeArticle, ServiceRequest
from .factories import ProductFactory, store, user


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def form(**overrides):
    data = {
        "name": "王女士",
        "phone": "13912345678",
        "store": store("sh-xuhui").pk,
        "category": "repair",
        "product": "某品牌制氧机 OX-3",
        "description": "制氧机开机后一直报警",
    }
    data.update(overrides)
    return data


def test_public_form_creates_a_request_without_login(demo, client):
    url = reverse("service:public-request")
    assert client.get(url).status_code == 200
    response = client.post(url, form())
    assert response.status_code == 201
    request = ServiceRequest.objects.get()
    assert request.number in response.content.decode()
    assert request.channel == Channel.ONLINE and request.store.code == "sh-xuhui"
    assert request.customer.phone == "13912345678" and "制氧机" in request.description

    # The same phone in the same store is the same customer.
    client.post(url, form(description="又报警了"))
    assert Customer.objects.count() == 1 and ServiceRequest.objects.count() == 2


def test_public_form_is_rate_limited_per_ip(demo, client):
    url = reverse("service:public-request")
    for _ in range(5):
        assert client.post(url, form()).status_code == 201
    response = client.post(url, form())
    assert response.status_code == 429
    assert "频繁" in response.content.decode()
    assert ServiceRequest.objects.count() == 5


def test_public_form_rejects_bad_input(demo, client):
    response = client.post(reverse("service:public-request"), form(phone="abc", description=""))
    assert response.status_code == 400
    assert not ServiceRequest.objects.exists()


@pytest.fixture
def articles(demo):
    manager = user("xuhui_manager")
    product = ProductFactory(name="变频空调 KFR-35")
    made = []
    for title, body in [
        ("空调不制冷的常见原因", "外机不转多为启动电容老化；冷媒不足时出风不冷。处理：更换电容、检漏补充冷媒。"),
        ("冰箱异响排查", "压缩机异响、风扇结霜刮擦。处理：除霜、调整底脚。"),
        ("血压计读数不准", "袖带位置不当或电池电量低。处理：重新佩戴、更换电池、送检校准。"),
    ]:
        article = services.knowledge_article_create(
            actor=manager,
            title=title,
            body=body,
            service_category="repair",
            product=product if "空调" in title else None,
        )
        made.append(services.knowledge_article_publish(actor=manager, article_id=article.pk))
    services.knowledge_article_create(actor=manager, title="空调草稿", body="空调不制冷 草稿")
    return made


def test_similar_articles_finds_the_relevant_published_article(articles):
    found = services.similar_articles("客户反映空调不制冷，外机不转")
    assert found and found[0].title == "空调不制冷的常见原因"
    assert all(article.status == KnowledgeStatus.PUBLISHED for article in found)
    assert services.similar_articles("血压计读数偏高")[0].title == "血压计读数不准"
    assert services.similar_articles("") == []


def test_knowledge_api_search_and_publish_permission(articles, api_for):
    cs = api_for("xuhui_cs")
    results = cs.get("/api/v1/knowledge-articles/", {"q": "冷媒", "status": "published"}).json()["results"]
    assert [row["title"] for row in results] == ["空调不制冷的常见原因"]
    similar = cs.get("/api/v1/knowledge-articles/similar/", {"text": "冰箱有异响"}).json()
    assert similar[0]["title"] == "冰箱异响排查"

    draft = KnowledgeArticle.objects.get(title="空调草稿")
    assert cs.post(f"/api/v1/knowledge-articles/{draft.pk}/publish/", {}, format="json").status_code == 403
    published = api_for("xuhui_manager").post(f"/api/v1/knowledge-articles/{draft.pk}/publish/", {}, format="json")
    assert published.status_code == 200 and published.json()["status"] == "published"


def test_knowledge_from_a_closed_request(demo):
    from .test_api import _resolved

    product = ProductFactory()
    request = _resolved(product)
    services.request_confirm(actor=user("xuhui_cs"), request_id=request.pk, method="phone", rating=5)
    with pytest.raises(services.ConflictError):
        services.knowledge_from_request(actor=user("xuhui_manager"), request_id=request.pk)
    services.request_close(actor=user("xuhui_manager"), request_id=request.pk)
    article = services.knowledge_from_request(actor=user("xuhui_manager"), request_id=request.pk)
    assert article.status == KnowledgeStatus.DRAFT and article.source_request == request
    assert "远程指导" in article.body and article.product == product
