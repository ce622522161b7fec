"""factory_boy factories of the people app: a certified engineer by default."""

import datetime as dt

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from salesservice.catalog.tests.factories import CategoryFactory
from salesservice.core.models import Membership, OrgUnit, User
from salesservice.people.models import Candidate, Certification, Course, Post, Question, TrainingPlan, TrainingSession


class EngineerFactory(factory.django.DjangoModelFactory):
    """A user holding the engineer role in `unit` (default: 上海徐汇店)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"engineer{n}")
    display_name = factory.Sequence(lambda n: f"工程师{n}")

    @factory.post_generation
    def unit(obj, create, extracted, **kwargs):
        if not create:
            return
        unit = extracted or OrgUnit.objects.get(code="sh-xuhui")
        Membership.objects.create(user=obj, org_unit=unit, role=Group.objects.get(name="engineer"))


class CertificationFactory(factory.django.DjangoModelFactory):
    """Valid from a year ago for two more years."""

    class Meta:
        model = Certification

    user = factory.SubFactory(EngineerFactory)
    category = factory.SubFactory(CategoryFactory)
    certificate_no = factory.Sequence(lambda n: f"SG-{n:05d}")
    issued_by = "售后培训中心"
    issued_at = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=365))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=730))


class CourseFactory(factory.django.DjangoModelFactory):
    """A written course with a pass mark of 80 and a 24-month certificate (PPL-4); add questions with
    `QuestionFactory(course=…)`."""

    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"上岗培训{n}")
    category = factory.SubFactory(CategoryFactory)
    validity_months = 24
    pass_mark = 80


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    course = factory.SubFactory(CourseFactory)
    text = factory.Sequence(lambda n: f"考题{n}")
    option_a = "甲"
    option_b = "乙"
    option_c = "丙"
    option_d = "丁"
    answer = "B"
    position = factory.Sequence(lambda n: n)


def hr_user():
    return User.objects.get(username="hr_trainer")


class TrainingPlanFactory(factory.django.DjangoModelFactory):
    """A draft 2026 plan of 上海徐汇店 (PPL-3)."""

    class Meta:
        model = TrainingPlan
        django_get_or_create = ("year", "org_unit")

    year = 2026
    org_unit = factory.LazyFunction(lambda: OrgUnit.objects.get(code="sh-xuhui"))
    title = factory.Sequence(lambda n: f"年度培训计划{n}")


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    plan = factory.SubFactory(TrainingPlanFactory)
    topic = factory.Sequence(lambda n: f"培训主题{n}")
    kind = "periodic"
    planned_on = dt.date(2026, 3, 10)
    trainer = factory.LazyFunction(hr_user)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    name = factory.Sequence(lambda n: f"岗位{n}")
    code = factory.Sequence(lambda n: f"post-{n}")
    duties = "受理客户来电，登记服务单"


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    number = factory.Sequence(lambda n: f"RC-T-{n:04d}")
    post = factory.SubFactory(PostFactory)
    org_unit = factory.LazyFunction(lambda: OrgUnit.objects.get(code="sh-xuhui"))
    name = factory.Sequence(lambda n: f"应聘者{n}")
    phone = "13812345678"
    id_number = "310101199001011234"
    applied_on = dt.date(2026, 3, 1)
