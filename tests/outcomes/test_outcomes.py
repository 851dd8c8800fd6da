"""Host evaluations and the audience survey: links, forms, the one-answer rule, the rate limit and closing."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import timezone

from common.links import link_find, link_issue, link_placeholder, link_revoke
from common.models import LinkPurpose
from outcomes import links as outcome_links
from outcomes import qr, services
from outcomes.models import HostEvaluation, SurveyResponse
from outcomes.services import (
    MSG_ALREADY_ANSWERED,
    MSG_ATTENDANCE,
    MSG_CHOICE,
    MSG_RATING,
    MSG_SURVEY_CLOSED,
    MSG_SURVEY_NOT_YET,
)
from outcomes.tasks import send_evaluation_reminders
from outcomes.views import (
    MSG_EVALUATION_NOT_FOUND,
    MSG_EVALUATION_THANKS,
    MSG_SURVEY_ALREADY_ANSWERED,
    MSG_SURVEY_NOT_FOUND,
    MSG_SURVEY_RATE_LIMITED,
)
from outreach.enums import Format
from scheduling.models import Booking, Notification, Presenter
from scheduling.services import review
from scheduling.services.review import Plan
from scheduling.tasks import send_reminders
from tests.factories import LanguageFactory, PresentationRequestFactory, days_ahead

REQUIRED = ' <span class="required">(required)</span>'

pytestmark = pytest.mark.django_db

CONTACT = "dana@example.net"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("sam", "sam@outreach.test", "pw", is_staff=True)


@pytest.fixture
def request_obj():
    return PresentationRequestFactory()


@pytest.fixture
def alex(request_obj):
    presenter = Presenter.objects.create(name="Alex Rivera", email="alex@presenters.test")
    presenter.presentations.add(request_obj.presentation)
    presenter.languages.add(LanguageFactory())
    return presenter


@pytest.fixture
def scheduled(request_obj, alex, staff):
    start = days_ahead(30, 10)
    plan = Plan(start, start + timedelta(minutes=90), alex, [], Format.IN_PERSON, "Room 12, 100 Division St S")
    return review.request_approve(request=request_obj, by=staff, plan=plan)


def move(booking: Booking, start) -> Booking:
    Booking.objects.filter(pk=booking.pk).update(start=start, end=start + timedelta(minutes=90))
    booking.refresh_from_db()
    return booking


@pytest.fixture
def completed(scheduled, request_obj, staff, run_on_commit):
    """A presentation that ended two hours ago, marked completed with 31 people; the thank-you is in mail.outbox."""
    move(scheduled, timezone.now() - timedelta(hours=3, minutes=30))
    return run_on_commit(lambda: review.booking_complete(request=request_obj, by=staff, attendance=31))


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def evaluation_path(booking) -> str:
    """A new evaluation link for ``booking``, as the thank-you email would carry it."""
    return path_of(
        outcome_links.evaluation_url(token=link_issue(purpose=LinkPurpose.HOST_EVALUATION, subject_id=booking.pk))
    )


def survey_code(booking) -> str:
    return outcome_links.survey_code_issue(booking=booking)


def survey_path(booking) -> str:
    """A new survey code's path, without the ?lang= its QR code adds."""
    return f"/survey/{survey_code(booking)}/"


EVALUATION_LINK = r"https://outreach\.test/evaluation/([A-Za-z0-9_-]{43})/\?lang=en"


EVALUATION = {
    "rating": "5",
    "usefulness": "4",
    "confirmed_attendance": "29",
    "next_step": "train_staff",
    "would_request_again": "yes",
    "comments": "The students asked great questions.",
}
SURVEY = {
    "understanding_before": "2",
    "understanding_after": "4",
    "knows_where_to_get_help": "yes",
    "comment": "",
}


# --- The host evaluation ----------------------------------------------------------------------


def test_thank_you_email_links_to_the_evaluation(client, completed):
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    url = re.search(EVALUATION_LINK, message.body).group(0)  # in the requester's language

    assert message.to == [CONTACT]
    assert (
        "Would you tell us how it went? Six short questions, about two minutes; your answers help us "
        f"improve and report to the people who fund this work.\n{url}\n" in message.body
    )
    assert f'<a href="{url.replace("&", "&amp;")}"' in html
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", url.split("/")[-2])  # random: no booking number in it
    assert client.get(path_of(url)).status_code == 200
    stored = Notification.objects.get(kind="thank_you")
    assert url not in stored.body_text and url.replace("&", "&amp;") not in stored.body_html
    assert link_placeholder(LinkPurpose.HOST_EVALUATION) in stored.body_text


def test_evaluation_round_trip_then_the_answer_is_shown(client, completed):
    path = evaluation_path(completed)

    form_page = client.get(path)
    posted = client.post(path, EVALUATION)
    answered = client.get(path)

    assert form_page.status_code == 200
    assert 'name="confirmed_attendance" value="31"' in form_page.text  # the recorded attendance, to confirm
    assert posted.status_code == 302 and posted["Location"] == path
    evaluation = HostEvaluation.objects.get(booking=completed)
    assert (
        evaluation.rating,
        evaluation.usefulness,
        evaluation.confirmed_attendance,
        evaluation.next_step,
        evaluation.would_request_again,
        evaluation.comments,
    ) == (5, 4, 29, "train_staff", "yes", "The students asked great questions.")
    assert answered.status_code == 200
    assert str(MSG_EVALUATION_THANKS) in answered.text
    assert "<dt>Overall</dt><dd>5 / 5</dd>" in answered.text
    assert "<dt>People who attended</dt><dd>29</dd>" in answered.text
    assert '<form method="post"' not in answered.text.split('id="evaluation-answers"')[1]


def test_evaluation_second_answer_is_refused_and_the_first_shown(client, completed):
    path = evaluation_path(completed)
    client.post(path, EVALUATION)

    second = client.post(path, {**EVALUATION, "rating": "1", "comments": "Changed my mind"})

    assert second.status_code == 409
    assert str(MSG_ALREADY_ANSWERED) in second.text
    assert "<dt>Overall</dt><dd>5 / 5</dd>" in second.text
    assert list(HostEvaluation.objects.values_list("rating", flat=True)) == [5]


def test_evaluation_service_refuses_a_second_answer(completed):
    services.evaluation_submit(
        booking=completed,
        rating=4,
        usefulness=4,
        confirmed_attendance=30,
        next_step="not_sure",
        would_request_again="maybe",
    )

    with pytest.raises(services.EvaluationAlreadyGiven) as refused:
        services.evaluation_submit(
            booking=completed,
            rating=1,
            usefulness=1,
            confirmed_attendance=1,
            next_step="other",
            would_request_again="no",
        )

    assert refused.value.evaluation.rating == 4
    assert HostEvaluation.objects.count() == 1


def test_evaluation_bad_input_is_400_with_messages_next_to_the_fields(client, completed):
    response = client.post(
        evaluation_path(completed),
        {**EVALUATION, "rating": "9", "usefulness": "", "confirmed_attendance": "-3", "next_step": "<script>"},
    )

    assert response.status_code == 400
    text = response.text
    assert f'<small class="error" id="id_rating_error">{MSG_RATING}</small>' in text
    assert f'<small class="error" id="id_usefulness_error">{MSG_RATING}</small>' in text
    assert f'<small class="error" id="id_confirmed_attendance_error">{MSG_ATTENDANCE}</small>' in text
    assert f'<small class="error" id="id_next_step_error">{MSG_CHOICE}</small>' in text
    assert (
        '<fieldset aria-describedby="id_rating_error">\n  <legend>Overall, how was the presentation?'
        f"{REQUIRED}</legend>" in text
    )
    assert 'aria-describedby="id_confirmed_attendance_helptext id_confirmed_attendance_error"' in text
    assert HostEvaluation.objects.count() == 0


def test_evaluation_form_is_accessible(client, completed):
    text = client.get(evaluation_path(completed)).text

    legends = re.findall(r"<legend>(.*?)</legend>", text)
    assert legends == [
        f"Overall, how was the presentation?{REQUIRED}",
        f"How useful was it for your audience?{REQUIRED}",
        f"What will your organization do next?{REQUIRED}",
        f"Would you request a presentation from us again?{REQUIRED}",
    ]
    assert '<label for="id_confirmed_attendance">How many people attended?' in text
    assert '<label for="id_comments">Comments (optional)</label>' in text


@pytest.mark.parametrize(
    "token",
    ["nonsense", "1.short", "A" * 43, "x" * 300, "1.%3Cscript%3E", "private-link-host_evaluation".ljust(43, "-")],
)
def test_evaluation_malformed_token_is_404(client, completed, token):
    response = client.get(f"/evaluation/{token}/")

    assert response.status_code == 404


def test_evaluation_forged_or_revoked_token_is_404(client, completed):
    good = evaluation_path(completed).split("/")[2]
    forged = good[:-1] + ("A" if good[-1] != "A" else "B")
    revoked = evaluation_path(completed).split("/")[2]
    link_revoke(link=link_find(purpose=LinkPurpose.HOST_EVALUATION, token=revoked))

    response = client.get(f"/evaluation/{forged}/")

    assert response.status_code == 404
    assert str(MSG_EVALUATION_NOT_FOUND) in response.text
    assert client.get(f"/evaluation/{revoked}/").status_code == 404
    assert client.get(f"/evaluation/{good}/").status_code == 200


def test_evaluation_of_a_presentation_not_completed_is_404(client, scheduled):
    response = client.get(evaluation_path(scheduled))

    assert response.status_code == 404


def test_evaluation_reminder_goes_once_after_seven_days(completed, run_on_commit):
    Booking.objects.filter(pk=completed.pk).update(completed_at=timezone.now() - timedelta(days=6, hours=23))
    too_early = run_on_commit(lambda: send_evaluation_reminders.apply().get())
    Booking.objects.filter(pk=completed.pk).update(completed_at=timezone.now() - timedelta(days=7, minutes=1))

    first = run_on_commit(lambda: send_evaluation_reminders.apply().get())
    first_mail = list(mail.outbox)
    second = run_on_commit(lambda: send_evaluation_reminders.apply().get())

    assert (too_early, first, second) == (0, 1, 0)
    (message,) = first_mail
    assert message.to == [CONTACT]
    assert message.subject == f"Two minutes for us? How {completed.request.presentation.title} went"
    assert re.search(EVALUATION_LINK + "\n", message.body)
    assert mail.outbox == []
    assert Notification.objects.filter(kind="evaluation_reminder").count() == 1


def test_no_evaluation_reminder_once_answered(client, completed, run_on_commit):
    client.post(evaluation_path(completed), EVALUATION)
    Booking.objects.filter(pk=completed.pk).update(completed_at=timezone.now() - timedelta(days=8))

    assert run_on_commit(lambda: send_evaluation_reminders.apply().get()) == 0
    assert mail.outbox == []


# --- The audience survey ----------------------------------------------------------------------


@pytest.fixture
def presented(scheduled):
    """A presentation that ended an hour ago and is not marked completed yet: the survey is open."""
    return move(scheduled, timezone.now() - timedelta(hours=2, minutes=30))


def test_survey_round_trip_shows_where_to_get_help(client, presented):
    path = survey_path(presented)

    form_page = client.get(path)
    posted = client.post(path, {**SURVEY, "comment": "Very clear, thank you."})
    thanks = client.get(posted["Location"])

    assert form_page.status_code == 200
    assert posted.status_code == 302 and posted["Location"] == f"{path}thanks/"
    answer = SurveyResponse.objects.get()
    assert (
        answer.booking_id,
        answer.understanding_before,
        answer.understanding_after,
        answer.knows_where_to_get_help,
        answer.comment,
    ) == (presented.pk, 2, 4, "yes", "Very clear, thank you.")
    assert thanks.status_code == 200
    assert 'National Human Trafficking Hotline: <a href="tel:+18883737888">call 1-888-373-7888</a>' in thanks.text
    assert '<a href="sms:233733">or text 233733</a>' in thanks.text
    assert "In immediate danger, call 911." in thanks.text


def test_survey_asks_for_no_personal_data(client, presented):
    text = client.get(survey_path(presented)).text

    form = text[text.index('<form method="post" action="/survey/') :]
    form = form[: form.index("</form>")]
    names = re.findall(r'name="([a-z_]+)"', form)
    assert names == [
        "csrfmiddlewaretoken",
        "understanding_before",
        "understanding_before",
        "understanding_before",
        "understanding_before",
        "understanding_before",
        "understanding_after",
        "understanding_after",
        "understanding_after",
        "understanding_after",
        "understanding_after",
        "knows_where_to_get_help",
        "knows_where_to_get_help",
        "knows_where_to_get_help",
        "comment",
    ]
    assert re.findall(r"<legend>(.*?)</legend>", text) == [
        "<h2>Your understanding of sex trafficking</h2>",
        f"Before this presentation, how well did you understand sex trafficking?{REQUIRED}",
        f"And now, after it?{REQUIRED}",
        f"Do you know where to get help, for yourself or for someone else?{REQUIRED}",
    ]
    assert presented.request.organization_name not in text
    assert {f.name for f in SurveyResponse._meta.get_fields()} == {
        "id",
        "booking",
        "understanding_before",
        "understanding_after",
        "knows_where_to_get_help",
        "comment",
        "submitted_at",
    }


def test_survey_bad_input_is_400_with_messages(client, presented):
    response = client.post(
        survey_path(presented), {**SURVEY, "understanding_before": "0", "knows_where_to_get_help": ""}
    )

    assert response.status_code == 400
    assert f'<small class="error" id="id_understanding_before_error">{MSG_RATING}</small>' in response.text
    assert f'<small class="error" id="id_knows_where_to_get_help_error">{MSG_CHOICE}</small>' in response.text
    assert SurveyResponse.objects.count() == 0


@override_settings(SURVEY_RATE_LIMIT="2/h")
def test_survey_rate_limit_per_address(client, presented, alex, staff):
    path = survey_path(presented)

    def from_another_browser(address):
        client.cookies.clear()
        return client.post(path, SURVEY, REMOTE_ADDR=address)

    codes = [from_another_browser("203.0.113.5").status_code for _ in range(3)]
    other_address = from_another_browser("203.0.113.6")
    blocked = from_another_browser("203.0.113.5")

    assert codes == [302, 302, 429]
    assert other_address.status_code == 302
    assert str(MSG_SURVEY_RATE_LIMITED) in blocked.text
    assert SurveyResponse.objects.count() == 3


def test_survey_takes_one_answer_per_browser(client, presented):
    path = survey_path(presented)

    first = client.post(path, SURVEY)
    again = client.post(path, {**SURVEY, "comment": "Second time"})
    page = client.get(path)
    client.cookies.clear()
    another_browser = client.post(path, SURVEY)

    assert first.status_code == 302
    cookie = first.cookies[f"survey_answered_{presented.pk}"]
    assert (cookie.value, cookie["path"], cookie["httponly"], cookie["samesite"]) == ("1", "/survey/", True, "Lax")
    assert again.status_code == 409
    assert str(MSG_SURVEY_ALREADY_ANSWERED) in again.text
    assert (
        page.status_code,
        str(MSG_SURVEY_ALREADY_ANSWERED) in page.text,
        '<form method="post" action="/survey/' in page.text,
    ) == (200, True, False)
    assert another_browser.status_code == 302
    assert SurveyResponse.objects.count() == 2
    assert SurveyResponse.objects.filter(comment="Second time").count() == 0


def test_answering_one_survey_leaves_another_open(client, presented, alex, staff):
    other_request = PresentationRequestFactory(presentation=presented.request.presentation)
    start = days_ahead(31, 10)
    plan = Plan(start, start + timedelta(minutes=90), alex, [], Format.IN_PERSON, "Room 3, 100 Division St S")
    other = move(
        review.request_approve(request=other_request, by=staff, plan=plan), timezone.now() - timedelta(hours=2)
    )
    client.post(survey_path(presented), SURVEY)

    other_page = client.get(survey_path(other))
    other_answer = client.post(survey_path(other), SURVEY)

    assert (other_page.status_code, str(MSG_SURVEY_ALREADY_ANSWERED) in other_page.text) == (200, False)
    assert other_answer.status_code == 302


def test_survey_closes_thirty_days_after_the_end(client, presented):
    path = survey_path(presented)
    move(presented, timezone.now() - timedelta(days=30, hours=1))
    still_open = client.get(path)
    move(presented, timezone.now() - timedelta(days=30, hours=2))

    closed_page = client.get(path)
    closed_post = client.post(path, SURVEY)

    assert still_open.status_code == 200
    assert (closed_page.status_code, closed_post.status_code) == (410, 410)
    assert str(MSG_SURVEY_CLOSED) in closed_page.text
    assert "1-888-373-7888" in closed_page.text
    assert "<form" not in closed_page.text.split("<main")[1]
    assert SurveyResponse.objects.count() == 0


def test_survey_of_a_cancelled_presentation_is_closed(client, scheduled, request_obj, staff):
    review.booking_cancel(request=request_obj, by=staff, reason="Snow day")

    response = client.post(survey_path(scheduled), SURVEY)

    assert response.status_code == 410
    assert str(MSG_SURVEY_CLOSED) in response.text
    assert SurveyResponse.objects.count() == 0


def test_survey_before_the_day_says_when_it_opens(client, scheduled):
    response = client.post(survey_path(scheduled), SURVEY)

    assert response.status_code == 200
    assert str(MSG_SURVEY_NOT_YET) in response.text
    assert SurveyResponse.objects.count() == 0


@pytest.mark.parametrize("code", ["abc", "1-abcdefgh", "a" * 26, "99999-" + "a" * 8, "1-ABCDEFG!"])
def test_survey_unknown_code_is_404(client, presented, code):
    response = client.get(f"/survey/{code}/")

    assert response.status_code == 404


def test_survey_code_is_random_128_bits_and_case_insensitive(client, presented):
    code = survey_code(presented)

    response = client.get(f"/survey/{code.upper()}/")

    assert re.fullmatch(r"[a-z2-7]{26}", code)
    assert response.status_code == 200
    assert client.get(f"/survey/{code}/thanks/").status_code == 200
    wrong = ("b" if code[0] != "b" else "c") + code[1:]
    assert client.get(f"/survey/{wrong}/").text.count(str(MSG_SURVEY_NOT_FOUND)) == 1


def test_survey_qr_code_is_an_svg_of_the_survey_link(client, presented):
    code = survey_code(presented)
    url = outcome_links.survey_url(booking=presented, code=code)

    response = client.get(path_of(outcome_links.survey_qr_url(booking=presented, code=code)))
    download = client.get(path_of(outcome_links.survey_qr_url(booking=presented, code=code)), {"download": "1"})

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response.content.decode() == qr.survey_qr_svg(url=url, title=f"QR code for the audience survey: {url}")
    assert re.match(
        r'<svg width="(\d+)" height="\1" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 (\d+) \2"', response.text
    )
    assert download["Content-Disposition"] == 'attachment; filename="survey-qr-code-en.svg"'


def test_survey_qr_include_for_the_presenter_page_costs_no_query(presented, django_assert_num_queries):
    booking = Booking.objects.select_related("request__language").get(pk=presented.pk)  # as the schedule loads it
    code = survey_code(presented)
    url = outcome_links.survey_url(booking=booking, code=code)

    with django_assert_num_queries(0):
        html = render_to_string("outcomes/_survey_qr.html", {"booking": booking, "code": code})

    qr_path = path_of(outcome_links.survey_qr_url(booking=booking, code=code))
    assert url == f"https://outreach.test/survey/{code}/?lang=en"
    assert f'<img src="{qr_path}" width="160" height="160"' in html
    assert f'alt="QR code that opens the audience survey in English at {url}"' in html
    assert f'<a href="{url}" hreflang="en">{url}</a>' in html
    assert f'<a href="{qr_path}&amp;download=1" download>Download the QR code (SVG)</a>' in html


def test_presenter_reminder_carries_the_survey_link_and_qr_code(scheduled, run_on_commit):
    booking = move(scheduled, timezone.now() + timedelta(days=6))

    run_on_commit(lambda: send_reminders.apply().get())

    presenter_mail = next(m for m in mail.outbox if m.to == ["alex@presenters.test"])
    requester_mail = next(m for m in mail.outbox if m.to == [CONTACT])
    code = re.search(r"https://outreach\.test/survey/([a-z2-7]{26})/\?lang=en\n", presenter_mail.body).group(1)
    url = outcome_links.survey_url(booking=booking, code=code)
    qr = outcome_links.survey_qr_url(booking=booking, code=code)
    assert (
        f"Audience survey (anonymous, three questions) for your last slide:\n{url}\n"
        f"Its QR code, to put on the slide: {qr}\n"
    ) in presenter_mail.body
    assert f'<a href="{qr}">Its QR code (SVG), to put on the slide</a>' in presenter_mail.alternatives[0][0]
    assert url not in requester_mail.body
