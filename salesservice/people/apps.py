from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from salesservice.core.registry import NAV_SERVICE, DomainAppConfig, Nav, Periodic

from .roles import ROLE_GRANTS


class PeopleConfig(DomainAppConfig):
    name = "salesservice.people"
    label = "people"
    verbose_name = _("人员与资质")
    url_prefix = "people/"
    api_urls = "salesservice.people.api.urls"
    navigation = [
        Nav(_("上岗资格"), "people:certifications", "people.view_certification", NAV_SERVICE, order=40),
        Nav(_("培训课程"), "people:courses", "people.view_course", NAV_SERVICE, order=41),
        Nav(_("考试记录"), "people:attempts", "people.view_examattempt", NAV_SERVICE, order=42),
        Nav(_("年度培训计划"), "people:plans", "people.view_trainingplan", NAV_SERVICE, order=43),
        Nav(_("培训需求"), "people:needs", "people.view_trainingneed", NAV_SERVICE, order=44),
        Nav(_("岗位说明书"), "people:posts", "people.view_post", NAV_SERVICE, order=45),
        Nav(_("应聘者"), "people:candidates", "people.view_candidate", NAV_SERVICE, order=46),
        Nav(_("职业发展"), "people:career", "people.view_careerstep", NAV_SERVICE, order=47),
    ]
    periodic_tasks = [
        Periodic(
            crontab(hour=8, minute=0), "people.remind_expiring_certifications", "remind certifications ending soon"
        ),
        Periodic(crontab(hour=7, minute=30), "people.remind_training_sessions", "remind training sessions (PPL-3)"),
    ]
    role_grants = ROLE_GRANTS
    personal_data = "salesservice.people.personal_data.HANDLERS"
    demo_loader = "salesservice.people.demo.load_demo"

    def ready(self):
        super().ready()  # event types, workflows, workbench panels (core.registry)
        from auditlog.registry import auditlog

        from . import models

        # Field-level history (admin edits too); reverse relations are not fields to diff.
        for model in (
            models.Certification,
            models.Course,
            models.Question,
            models.ExamAttempt,
            models.Post,
            models.TrainingNeed,
            models.TrainingPlan,
            models.TrainingSession,
            models.EffectEvaluation,
            models.CareerStep,
            models.DevelopmentTalk,
        ):
            reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
            auditlog.register(model, exclude_fields=reverse)
        auditlog.register(models.Candidate, exclude_fields=["step_records"], mask_fields=["phone", "id_number"])
