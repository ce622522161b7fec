"""FBK-3: a closed complaint gets its satisfaction survey by link, once."""

from salesservice.complaints import services as complaint_services
from salesservice.complaints.tests.factories import advance, close_kwargs, make_complaint, user
from salesservice.feedback.choices import SourceKind
from salesservice.feedback.models import SurveyLink
from salesservice.feedback.scheduling import surveys_send_for_closed_complaints


def test_closed_complaint_gets_one_survey_link_naming_the_handler(demo):
    complaint = advance(make_complaint(), "feedback_given")
    assert surveys_send_for_closed_complaints() == 0  # not closed yet
    complaint_services.complaint_close(actor=user("xuhui_manager"), complaint_id=complaint.pk, **close_kwargs())
    assert surveys_send_for_closed_complaints() == 1
    assert surveys_send_for_closed_complaints() == 0  # idempotent
    link = SurveyLink.objects.get(source_kind=SourceKind.COMPLAINT, source_id=complaint.pk)
    assert link.source_number == complaint.number and link.customer_id == complaint.customer_id
    assert link.store_id == complaint.store_id
