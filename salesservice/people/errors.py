"""Every error code the people app raises (CONVENTIONS: a per-app error-code enum).

The value is the `code` the API returns and tests assert — it never changes; the label says, in Chinese,
when it is raised (docs/people.md lists them). The dispatch gate's reasons keep the service desk's codes
(`dispatch.uncertified`, `dispatch.engineer_inactive`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeopleErrorCode(models.TextChoices):
    CERTIFICATION_NUMBER_REQUIRED = "certification.number_required", _("请填写证书编号")
    CERTIFICATION_ISSUED_AT_REQUIRED = "certification.issued_at_required", _("请填写发证日期")
    CERTIFICATION_INVALID_PERIOD = "certification.invalid_period", _("有效期至不能早于发证日期")
    CERTIFICATION_INVALID = "certification.invalid", _("证书信息有误")
    CERTIFICATION_USER_NOT_FOUND = "certification.user_not_found", _("该人员不存在或不在您的管辖范围内")
    CERTIFICATION_DUPLICATE = "certification.duplicate", _("该人员已登记同一证书编号（409）")
    CERTIFICATION_UNKNOWN_FIELDS = "certification.unknown_fields", _("不可修改的字段")
    CERTIFICATION_REVOKED = "certification.revoked", _("已吊销的上岗资格不能修改（409）")
    CERTIFICATION_REASON_REQUIRED = "certification.reason_required", _("请填写吊销原因")
    CERTIFICATION_ALREADY_REVOKED = "certification.already_revoked", _("该上岗资格已吊销（409）")
    DISPATCH_ENGINEER_INACTIVE = "dispatch.engineer_inactive", _("工程师账号已停用")
    DISPATCH_UNCERTIFIED = "dispatch.uncertified", _("工程师没有该类商品的有效上岗资格证（PPL-4）")
    COURSE_INVALID = "course.invalid", _("课程信息有误：名称、商品分类、有效期（月）、合格分数 0–100")
    COURSE_NOT_FOUND = "course.not_found", _("课程不存在或已停用（404）")
    COURSE_NO_QUESTIONS = "course.no_questions", _("笔试课程还没有考题，不能开考（409，PPL-4）")
    QUESTION_INVALID = "question.invalid", _("考题须有题干、A–D 四个选项和正确答案")
    EXAM_NOT_FOUND = "exam.not_found", _("考试记录不存在或不在您的范围内（404）")
    EXAM_NOT_WRITTEN = "exam.not_written", _("实操考核由培训人员录入成绩，不能在线答题（409）")
    EXAM_NOT_PRACTICAL = "exam.not_practical", _("笔试成绩由系统按答案计算，不能录入分数（409，PPL-4）")
    EXAM_NOT_YOURS = "exam.not_yours", _("只能提交自己的答卷（403）")
    EXAM_ALREADY_SCORED = "exam.already_scored", _("该次考试已评分，不能再次提交（409）")
    EXAM_ANSWERS_INVALID = "exam.answers_invalid", _("答案须为本课程考题的 A–D 选项")
    EXAM_SCORE_INVALID = "exam.score_invalid", _("实操成绩须为 0–100 的整数")
    EXAM_ENGINEER_REQUIRED = "exam.engineer_required", _("参加考试的须是在您范围内的工程师")
