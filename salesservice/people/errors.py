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
    POST_INVALID = "post.invalid", _("岗位信息有误：名称、代码（字母数字）、职责必填")
    POST_DUPLICATE = "post.duplicate", _("岗位代码已存在（409）")
    POST_NOT_FOUND = "post.not_found", _("岗位不存在或已停用")
    CANDIDATE_INVALID = "candidate.invalid", _("应聘者信息有误：姓名、岗位、用人单位、报名日期必填")
    CANDIDATE_NOT_FOUND = "candidate.not_found", _("应聘者不存在或不在您的范围内（404）")
    CANDIDATE_UNIT_OUT_OF_SCOPE = "candidate.unit_out_of_scope", _("所选用人单位不在您的范围内")
    CANDIDATE_STEP_INVALID = "candidate.step_invalid", _("环节记录有误：日期必填且不能晚于今天，得分 0–100")
    CANDIDATE_STEPS_INCOMPLETE = "candidate.steps_incomplete", _("面试、笔试、背景调查均通过后才能录用（409，PPL-1）")
    CANDIDATE_REASON_REQUIRED = "candidate.reason_required", _("不录用须写明原因")
    NEED_INVALID = "need.invalid", _("培训需求有误：单位、能力差距、来源必填")
    NEED_NOT_FOUND = "need.not_found", _("培训需求不存在或不在您的范围内（404）")
    PLAN_INVALID = "plan.invalid", _("培训计划有误：年度 2000–2100、单位、名称必填")
    PLAN_DUPLICATE = "plan.duplicate", _("该单位该年度已有培训计划（409）")
    PLAN_NOT_FOUND = "plan.not_found", _("培训计划不存在或不在您的范围内（404）")
    PLAN_NO_SESSIONS = "plan.no_sessions", _("没有培训场次的计划不能批准（409）")
    SESSION_INVALID = "session.invalid", _("培训场次有误：主题、类别、日期（计划年度内）、讲师必填")
    SESSION_NOT_FOUND = "session.not_found", _("培训场次不存在或不在您的范围内（404）")
    SESSION_PLAN_APPROVED = "session.plan_approved", _("已批准的计划不能再增加场次（409）")
    SESSION_NOT_HELD = "session.not_held", _("培训日期未到，不能登记出勤（409）")
    ATTENDANCE_INVALID = "attendance.invalid", _("出勤须为本场次参训人员的出席/缺席")
    EVALUATION_INVALID = "evaluation.invalid", _("效果评估有误：满意度 1–5、行为改变评估必填")
    EVALUATION_NOT_READY = "evaluation.not_ready", _("登记出勤后才能评估培训效果（409）")
    EVALUATION_EXISTS = "evaluation.exists", _("该场次已评估（409）")
    TALK_INVALID = "talk.invalid", _("面谈记录有误：员工、日期、发展目标必填；下次面谈不能早于本次")
    CAREER_STEP_NOT_FOUND = "career.step_not_found", _("职业发展阶梯不存在")
