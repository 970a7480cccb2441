"""The FHIR export, validated with the fhir.resources model of R4's QuestionnaireResponse."""

from __future__ import annotations

from typing import Any

import pytest
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from tests.api.followups.conftest import URL

pytestmark = pytest.mark.django_db


def test_an_answered_who5_is_a_valid_completed_questionnaire_response(due_who5, answer, doctor, doctor_api):
    doctor.language = "en"
    doctor.save()
    answer(due_who5, {"who5-1": 5, "who5-2": 4, "who5-3": 3, "who5-4": 2, "who5-5": 0})

    response = doctor_api.get(f"{URL}/{due_who5.pk}/fhir")

    assert response["Content-Type"] == "application/fhir+json"
    resource: Any = QuestionnaireResponse.model_validate(response.json())
    assert resource.status == "completed"
    assert resource.questionnaire.endswith(f"/v1/questionnaires/{due_who5.version.questionnaire_id}|1")
    first = resource.item[0]
    assert (first.linkId, first.text) == ("who5-1", "I have felt cheerful and in good spirits")
    coding = first.answer[0].valueCoding
    assert (coding.code, coding.display) == ("5", "All of the time")
    assert len(resource.item) == 5  # the display item is not an answer
    assert resource.subject is None
    assert resource.author is None  # it names no one


def test_every_answer_type_and_enable_when_export(due, answer, doctor_api):
    feedback = due["service-feedback"]
    answer(feedback, {"helpful": 1, "easy": 0, "recommend": False, "what-would-help": 3})

    resource: Any = QuestionnaireResponse.model_validate(doctor_api.get(f"{URL}/{feedback.pk}/fhir").json())

    answers = {item.linkId: item.answer[0] for item in resource.item}
    assert answers["recommend"].valueBoolean is False
    assert answers["what-would-help"].valueCoding.code == "3"


def test_a_due_follow_up_is_in_progress_and_json_on_request(due_who5, doctor_api):
    response = doctor_api.get(f"{URL}/{due_who5.pk}/fhir", HTTP_ACCEPT="application/json")

    assert response["Content-Type"] == "application/json"
    assert QuestionnaireResponse.model_validate(response.json()).status == "in-progress"
