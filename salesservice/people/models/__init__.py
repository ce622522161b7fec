"""The people app's models: certifications and exams (`exams`, PPL-4); posts and recruitment (`recruitment`,
PPL-1); training needs, annual plans, sessions and their effect (`training`, PPL-2/3/5); the career ladder and
development talks (`career`, PPL-6)."""

from .career import CareerStep, DevelopmentTalk, PostHolding
from .exams import (
    Certification,
    CertificationQuerySet,
    Course,
    ExamAttempt,
    ExamAttemptQuerySet,
    MemberScopedQuerySet,
    Question,
    category_ancestor_ids,
    moment_and_day,
)
from .recruitment import Candidate, CandidateStepRecord, Post
from .training import EffectEvaluation, SessionParticipant, TrainingNeed, TrainingPlan, TrainingSession

__all__ = [
    "Candidate",
    "CandidateStepRecord",
    "CareerStep",
    "Certification",
    "CertificationQuerySet",
    "Course",
    "DevelopmentTalk",
    "EffectEvaluation",
    "ExamAttempt",
    "ExamAttemptQuerySet",
    "MemberScopedQuerySet",
    "Post",
    "PostHolding",
    "Question",
    "SessionParticipant",
    "TrainingNeed",
    "TrainingPlan",
    "TrainingSession",
    "category_ancestor_ids",
    "moment_and_day",
]
