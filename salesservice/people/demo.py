"""Demo records of the people app for `manage.py load_demo` (idempotent).

Certified and uncertified engineers for the service desk demo (PPL-4): 赵工 of 上海徐汇店 is
certified for household appliances and class II medical devices; 天河 has appliances; 西湖's
certificate has expired; 徐汇's trainee has none yet.

Training that certifies (PPL-4): a written course per appliance group; 孙工 (西湖) failed the appliance exam
twice in a row (one more failure would stop him), 钱工 (天河) passed the kitchen-appliance exam and holds the
certificate it issued.

HR (PPL-1, PPL-2, PPL-3, PPL-5, PPL-6): post descriptions of 客服专员 / 客服主管 / 客服经理 / 维修工程师; 王应聘
between written test and background check, 赵入职 hired; 徐汇店's annual plan of this year with two past sessions
(attendance recorded, one evaluated — its gap raised a training need) and two upcoming; the ladder
客服专员 → 客服主管 → 客服经理; a development talk of 陈小客 with her store manager.
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
    load_hr_demo()


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


# code, name, level, reports to, duties, education, experience, skills, certificates, criteria
DEMO_POSTS = [
    ("cs-specialist", "客服专员", "store", "客服主管",
     "受理客户来电、来函和到店咨询，登记售后服务单并跟踪处理进度；按规定进行回访和满意度调查。",
     "大专及以上", "1 年以上客服经验优先", "普通话标准，沟通表达清晰，熟练使用办公软件", "",
     "面试考察沟通与应变能力；笔试考核服务规范与产品知识；背景调查核实工作经历。"),
    ("cs-supervisor", "客服主管", "store", "客服经理",
     "管理客服团队的日常工作与排班，处理升级投诉，组织培训并进行月度考核。",
     "大专及以上", "3 年以上客服经验，1 年以上带队经验", "投诉处理、团队管理、数据分析", "",
     "面试由客服经理主持；笔试含投诉案例分析；背景调查。"),
    ("cs-manager", "客服经理", "region", "售后经理",
     "负责区部客户服务体系运行，制定服务标准与培训计划，分析服务数据并推动改进。",
     "本科及以上", "5 年以上客服管理经验", "服务体系建设、培训组织、跨部门协调", "",
     "面试由人力资源部与售后经理共同主持；笔试为管理案例；背景调查。"),
    ("service-engineer", "维修工程师", "store", "售后经理",
     "上门安装、调试与维修；填写维修记录并请客户签字验收；遵守安全规范。",
     "中专及以上（电子/机电类）", "1 年以上家电维修经验", "电气安全、故障判断、上门服务礼仪", "电工证；公司上岗资格证（考试合格后颁发）",
     "面试与实操测试；笔试为安全规范与维修知识；背景调查。"),
]  # fmt: skip


def load_hr_demo() -> None:
    """Posts, candidates, the annual training plan with sessions, the career ladder and a development talk
    (PPL-1, PPL-2, PPL-3, PPL-5, PPL-6); idempotent (by post code, candidate name, plan year and unit …)."""
    from . import career, recruitment
    from .models import Candidate, CareerStep, DevelopmentTalk, Post, PostHolding, TrainingPlan

    hr = User.objects.get(username="hr_trainer")
    today = timezone.localdate()
    posts = {}
    for code, name, level, reports_to, duties, education, experience, skills, certificates, criteria in DEMO_POSTS:
        posts[code] = Post.objects.filter(code=code).first() or recruitment.post_create(
            actor=hr, name=name, code=code, level=level, reports_to=reports_to, duties=duties, education=education,
            experience=experience, skills=skills, certificates=certificates, criteria=criteria,
        )  # fmt: skip
    xuhui = OrgUnit.objects.get(code="sh-xuhui")
    applied = today - dt.timedelta(days=20)
    if not Candidate.objects.filter(name="王应聘").exists():
        candidate = recruitment.candidate_add(
            actor=hr, post=posts["cs-specialist"], org_unit=xuhui, name="王应聘", phone="13700001111",
            id_number="310104199501012345", source="website", applied_on=applied,
        )  # fmt: skip
        recruitment.candidate_interview(
            actor=hr, candidate_id=candidate.pk, held_on=applied + dt.timedelta(days=3), passed=True, score=86,
            notes="表达清晰，有耐心",
        )  # fmt: skip
        recruitment.candidate_written_test(
            actor=hr, candidate_id=candidate.pk, held_on=applied + dt.timedelta(days=5), passed=True, score=82
        )
    if not Candidate.objects.filter(name="赵入职").exists():
        candidate = recruitment.candidate_add(
            actor=hr, post=posts["service-engineer"], org_unit=xuhui, name="赵入职", phone="13700002222",
            source="referral", applied_on=applied - dt.timedelta(days=30),
        )  # fmt: skip
        for step in (
            recruitment.candidate_interview,
            recruitment.candidate_written_test,
            recruitment.candidate_background_check,
        ):
            step(actor=hr, candidate_id=candidate.pk, held_on=applied - dt.timedelta(days=20), passed=True, score=90)
        recruitment.candidate_hire(actor=hr, candidate_id=candidate.pk)

    year = today.year
    if not TrainingPlan.objects.filter(year=year, org_unit=xuhui).exists():
        _demo_plan(hr, xuhui, year, today)

    steps = [("cs-specialist", "cs-supervisor", 12, "B"), ("cs-supervisor", "cs-manager", 24, "A")]
    for from_code, to_code, months, grade in steps:
        CareerStep.objects.get_or_create(
            from_post=posts[from_code], to_post=posts[to_code], defaults={"months_in_post": months, "min_grade": grade}
        )
    cs = User.objects.get(username="xuhui_cs")
    if not PostHolding.objects.filter(user=cs).exists():
        PostHolding.objects.create(user=cs, post=posts["cs-specialist"], started_on=today - dt.timedelta(days=400))
    manager = User.objects.get(username="xuhui_manager")
    if not DevelopmentTalk.objects.filter(user=cs).exists():
        career.talk_record(
            actor=manager, user=cs, held_on=today - dt.timedelta(days=30), goals="一年内具备晋升客服主管的条件",
            actions="参加投诉处理技巧培训；带教一名新员工；本季度满意度保持 95% 以上",
            next_talk_on=today + dt.timedelta(days=60),
        )  # fmt: skip


def _demo_plan(hr, unit, year, today) -> None:
    """The unit's annual plan: two past sessions (attendance; one evaluated, raising a need) and two upcoming."""
    from . import training

    cs, engineer = User.objects.get(username="xuhui_cs"), User.objects.get(username="xuhui_engineer")
    trainee = User.objects.filter(username="xuhui_trainee").first()
    people = [u for u in (cs, engineer, trainee) if u is not None]
    plan = training.plan_create(actor=hr, year=year, org_unit=unit, title=f"上海徐汇店 {year} 年度培训计划")
    last = dt.date(year, 12, 31)
    first = dt.date(year, 1, 1)

    def day(offset):
        return min(max(today + dt.timedelta(days=offset), first), last)

    course = Course.objects.filter(title="家用电器售后上岗培训").first()
    sessions = [
        ("新员工岗前培训：服务规范与礼仪", "induction", day(-60), None),
        ("家用电器售后上岗培训", "product", day(-20), course),
        ("投诉处理技巧", "skills", day(3), None),
        ("年度复训：安全规范", "periodic", day(10), None),
    ]
    created = [
        training.session_add(
            actor=hr,
            plan_id=plan.pk,
            topic=topic,
            kind=kind,
            planned_on=planned_on,
            trainer=hr,
            course=course_,
            participants=people,
            location="徐汇店培训室",
        )  # fmt: skip
        for topic, kind, planned_on, course_ in sessions
    ]
    training.plan_approve(actor=hr, plan_id=plan.pk)
    for session in created[:2]:
        if session.planned_on <= today:
            attendance = {str(user.pk): "present" for user in people}
            if trainee is not None and session is created[1]:
                attendance[str(trainee.pk)] = "absent"
            training.attendance_record(actor=hr, session_id=session.pk, attendance=attendance, today=today)
    if created[0].planned_on <= today:
        training.effect_evaluate(
            actor=hr, session_id=created[0].pk, reaction_score="4.40", behaviour_change="接待用语规范，首问负责落实",
            evaluated_on=today, need_gap="电话投诉的情绪安抚话术仍需加强",
        )  # fmt: skip
