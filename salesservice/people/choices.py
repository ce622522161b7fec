"""Choices of the people app: certification states and timeline events (PPL-4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificationState(models.TextChoices):
    """Derived, never stored: what a certification means on a given day."""

    VALID = "valid", _("有效")
    NOT_YET_VALID = "not_yet_valid", _("未生效")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已吊销")


class EventType(models.TextChoices):
    """Typed timeline events of the people app."""

    CERTIFICATION_ADDED = "people.certification_added", _("登记上岗资格")
    CERTIFICATION_UPDATED = "people.certification_updated", _("修改上岗资格")
    CERTIFICATION_REVOKED = "people.certification_revoked", _("吊销上岗资格")
    CERTIFICATION_ISSUED = "people.certification_issued", _("考试合格，颁发上岗资格")
    CERTIFICATION_RENEWED = "people.certification_renewed", _("考试合格，延续上岗资格")
    CERTIFICATION_EXPIRY_REMINDED = "people.certification_expiry_reminded", _("上岗资格即将到期提醒")
    COURSE_SAVED = "people.course_saved", _("保存培训课程")
    QUESTION_ADDED = "people.question_added", _("添加考题")
    QUESTION_REMOVED = "people.question_removed", _("停用考题")
    EXAM_STARTED = "people.exam_started", _("开始考试")
    EXAM_SUBMITTED = "people.exam_submitted", _("提交笔试答卷")
    EXAM_GRADED = "people.exam_graded", _("录入实操成绩")
    POST_SAVED = "people.post_saved", _("保存岗位说明书")
    CANDIDATE_ADDED = "people.candidate_added", _("登记应聘者")
    CANDIDATE_STEP_RECORDED = "people.candidate_step_recorded", _("记录招聘环节")
    CANDIDATE_HIRED = "people.candidate_hired", _("录用应聘者")
    CANDIDATE_REJECTED = "people.candidate_rejected", _("不予录用")
    NEED_RAISED = "people.need_raised", _("登记培训需求")
    NEED_PLANNED = "people.need_planned", _("培训需求列入计划")
    NEED_CLOSED = "people.need_closed", _("关闭培训需求")
    PLAN_SAVED = "people.plan_saved", _("保存年度培训计划")
    PLAN_APPROVED = "people.plan_approved", _("批准年度培训计划")
    SESSION_SAVED = "people.session_saved", _("保存培训场次")
    ATTENDANCE_RECORDED = "people.attendance_recorded", _("登记培训出勤")
    SESSION_REMINDED = "people.session_reminded", _("培训提醒")
    EFFECT_EVALUATED = "people.effect_evaluated", _("培训效果评估")
    TALK_RECORDED = "people.talk_recorded", _("记录职业发展面谈")


class ExamKind(models.TextChoices):
    """How a course is examined (PPL-4): answered on a page and scored by the system, or assessed by the trainer."""

    WRITTEN = "written", _("笔试（单选题）")
    PRACTICAL = "practical", _("实操考核")


class AnswerOption(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


class ExamAttemptStatus(models.TextChoices):
    """An attempt is started (the engineer answers, or waits for the trainer's assessment), then scored."""

    STARTED = "started", _("考试中")
    SCORED = "scored", _("已评分")


# --- posts and recruitment (PPL-1) --------------------------------------------------------------


class CandidateStatus(models.TextChoices):
    """applied → interviewed → written_test → background_check → hired | rejected (PPL-1)."""

    APPLIED = "applied", _("已报名")
    INTERVIEWED = "interviewed", _("已面试")
    WRITTEN_TEST = "written_test", _("已笔试")
    BACKGROUND_CHECK = "background_check", _("已背景调查")
    HIRED = "hired", _("已录用")
    REJECTED = "rejected", _("未录用")


class CandidateSource(models.TextChoices):
    REFERRAL = "referral", _("内部推荐")
    WEBSITE = "website", _("招聘网站")
    CAMPUS = "campus", _("校园招聘")
    WALK_IN = "walk_in", _("现场应聘")
    OTHER = "other", _("其他")


class RecruitmentStep(models.TextChoices):
    """The three records a hire needs (PPL-1: 面试、笔试、背景调查)."""

    INTERVIEW = "interview", _("面试")
    WRITTEN_TEST = "written_test", _("笔试")
    BACKGROUND_CHECK = "background_check", _("背景调查")


# --- training needs, plans, sessions, effect (PPL-2, PPL-3, PPL-5) -----------------------------


class NeedSource(models.TextChoices):
    APPRAISAL = "appraisal", _("考核结果")
    NEW_HIRE = "new_hire", _("新员工")
    NEW_PRODUCT = "new_product", _("新产品")
    COMPLAINT = "complaint", _("客户投诉")
    EVALUATION = "evaluation", _("培训效果评估")


class NeedPriority(models.TextChoices):
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("待安排")
    PLANNED = "planned", _("已列入计划")
    CLOSED = "closed", _("已关闭")


class PlanStatus(models.TextChoices):
    """draft → approved (PPL-3)."""

    DRAFT = "draft", _("草稿")
    APPROVED = "approved", _("已批准")


class SessionKind(models.TextChoices):
    """PPL-2 (001 第十七/十八条): induction, periodic, product and skills training."""

    INDUCTION = "induction", _("岗前培训")
    PERIODIC = "periodic", _("定期培训")
    PRODUCT = "product", _("产品知识")
    SKILLS = "skills", _("服务技能")


class SessionMethod(models.TextChoices):
    LECTURE = "lecture", _("课堂讲授")
    PRACTICE = "practice", _("实操演练")
    ONLINE = "online", _("线上学习")
    MENTORING = "mentoring", _("师带徒")


class Attendance(models.TextChoices):
    PRESENT = "present", _("出席")
    ABSENT = "absent", _("缺席")
