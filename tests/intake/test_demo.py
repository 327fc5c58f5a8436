from intake.demo import CLIENT, demo
from intake.models import Question, Questionnaire, Response
from tests.factories import UserFactory
from tests.sessions.factories import program_for


def test_the_demo_step_is_idempotent_and_answers_andis_intake(world):
    andi = UserFactory(email=CLIENT)
    program_for(world, client=andi)
    demo(practice=world.practice, people={CLIENT: andi})
    counts = [Questionnaire.objects.count(), Question.objects.count(), Response.objects.count()]
    assert counts == [4, 12, 1]
    demo(practice=world.practice, people={CLIENT: andi})
    assert [
        Questionnaire.objects.count(),
        Question.objects.count(),
        Response.objects.count(),
    ] == counts
    response = Response.objects.get()
    assert response.client == andi and response.submitted_at is not None
    assert response.language == "id"
    assert all(v.published_at for q in Questionnaire.objects.all() for v in q.versions.all())
