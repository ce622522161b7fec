"""Demo records of the people app for `manage.py load_demo` (idempotent).

Certified and uncertified engineers for the service desk demo (PPL-4): 赵工 of 上海徐汇店 is
certified for household appliances and class II medical devices; 天河 has appliances; 西湖's
certificate has expired; 徐汇's trainee has none yet.

Training that certifies (PPL-4): a written course per appliance group; 孙工 (西湖) failed the appliance exam
twice in a row (one more failure would stop him), 钱工 (天河) passed the kitchen-appliance exam and holds the
certificate it issued.
"""

import datetime as dt

from django.utils import timezone

from salesservice.catalog.models import ProductCategory
from salesservice.core.demo import DEMO_PASSWORD
from salesservice.core.models import Membership, OrgUnit, User
from salesservice.core.services import membership_grant, user_create

from . import services
from .models import Certification, Course

# username, display name, store code, phone — engineers beyond core's DEMO_USERS.
DEMO_ENGINEERS = [
    ("tianhe_engineer", "钱工", "gz-tianhe", "13900004003"),
    ("xihu_engineer", "孙工", "hz-xihu", "13900012003"),
    ("xuhui_trainee", "李见习", "sh-xuhui", "13900003009"),
]

# certificate no, username, category code, issued (days ago), valid for (days; None = long-term)
DEMO_CERTIFICATIONS = [
    ("SG-HA-2024-0101", "xuhui_engineer", "appliance", 400, 3 * 365),
    ("SG-MD2-2025-0102", "xuhui_engineer", "medical-2", 200, 2 * 365),
    ("SG-HA-2025-0201", "tianhe_engineer", "appliance", 150, None),
    ("SG-HA-2022-0301", "xihu_engineer", "appliance", 3 * 365, 2 * 365),  # expired about a year ago
]


def load_demo() -> None:
    """Create what is missing; existing users and certificates (by number) are left alone."""
    admin = User.objects.get(username="admin")
    units = {unit.code: unit for unit in OrgUnit.objects.filter(code__in={code for _u, _n, code, _p in DEMO_ENGINEERS})}
    for username, display_name, unit_code, phone in DEMO_ENGINEERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                actor=admin,
                username=username,
                password=DEMO_PASSWORD,
                display_name=display_name,
                email=f"{username}@demo.example.com",
                phone=phone,
            )
        if not Membership.objects.filter(user=user, org_unit=units[unit_code], role__name="engineer").exists():
            membership_grant(actor=admin, user=user, org_unit=units[unit_code], role_code="engineer")

    hr = User.objects.get(username="hr_trainer")
    today = timezone.localdate()
    existing = set(Certification.objects.values_list("certificate_no", flat=True))
    categories = {c.code: c for c in ProductCategory.objects.all()}
    for number, username, category_code, issued_days_ago, valid_days in DEMO_CERTIFICATIONS:
        if number in existing or category_code not in categories:
            continue
        issued_at = today - dt.timedelta(days=issued_days_ago)
        services.certification_add(
            actor=hr,
            user=User.objects.get(username=username),
            category=categories[category_code],
            certificate_no=number,
            issued_at=issued_at,
            valid_until=issued_at + dt.timedelta(days=valid_days) if valid_days else None,
            issued_by="公司售后培训中心",
            notes="岗前培训考试合格（演示数据）",
        )
    load_training_demo()


# title, category code, content, questions: (text, A, B, C, D, answer)
DEMO_COURSES = [
    (
        "家用电器售后上岗培训",
        "appliance",
        "安全规范、安装调试、常见故障判断与维修、上门服务礼仪（001 第十七/十九条）。",
        [
            ("上门维修前首先应做什么？", "断开电源并确认安全", "直接拆机", "先收费", "联系厂家", "A"),
            ("空调外机不转，最先检查的是？", "遥控器电池", "电源与启动电容", "室内滤网", "排水管", "B"),
            ("服务完成后应请客户做什么？", "付小费", "在验收单上签字确认", "写好评", "保留旧件", "B"),
            ("发现安全隐患时应如何处理？", "继续维修", "告知客户并停止使用，上报主管", "不予理会", "自行处理", "B"),
        ],
    ),
    (
        "厨房电器安装与维修",
        "appliance-kitchen",
        "燃气与电气安全、油烟机与灶具安装、故障排查。",
        [
            ("燃气灶安装后必须进行？", "气密性检查", "外观清洁", "拍照留念", "更换旋钮", "A"),
            ("油烟机安装高度一般距灶台约？", "30 cm", "65–75 cm", "120 cm", "150 cm", "B"),
            ("电气接线应使用？", "任意插座", "带接地的专用插座", "延长线", "临时线", "B"),
        ],
    ),
]
DEMO_ATTEMPTS = [
    ("xihu_engineer", "家用电器售后上岗培训", [False, False]),
    ("tianhe_engineer", "厨房电器安装与维修", [True]),
]


def load_training_demo() -> None:
    """Courses with their question banks and a few scored attempts (PPL-4); idempotent by course title."""
    hr = User.objects.get(username="hr_trainer")
    categories = {c.code: c for c in ProductCategory.objects.all()}
    for title, category_code, content, questions in DEMO_COURSES:
        if Course.objects.filter(title=title).exists() or category_code not in categories:
            continue
        course = services.course_create(actor=hr, title=title, category=categories[category_code], content=content)
        for text, a, b, c, d, answer in questions:
            services.question_add(
                actor=hr, course_id=course.pk, text=text, option_a=a, option_b=b, option_c=c, option_d=d, answer=answer
            )
    for username, title, results in DEMO_ATTEMPTS:
        course = Course.objects.filter(title=title).first()
        engineer = User.objects.filter(username=username).first()
        if course is None or engineer is None or course.attempts.filter(user=engineer).exists():
            continue
        correct = {str(q.pk): q.answer for q in course.questions.filter(is_active=True)}
        wrong = {pk: "D" if answer != "D" else "A" for pk, answer in correct.items()}
        for passed in results:
            attempt = services.exam_attempt_start(actor=engineer, course_id=course.pk)
            services.exam_attempt_submit(actor=engineer, attempt_id=attempt.pk, answers=correct if passed else wrong)
