"""factory_boy factories of the people app: a certified engineer by default."""

import datetime as dt

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from salesservice.catalog.tests.factories import CategoryFactory
from salesservice.core.models import Membership, OrgUnit, User
from salesservice.people.models import Certification, Course, Question


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
