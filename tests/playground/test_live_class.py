"""A teacher and several students over real WebSocket connections to one live class."""

import asyncio
import json

import pytest
import pytest_asyncio
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from playground.classes import live
from playground.classes.consumer import FRAME_WINDOW
from playground.classes.models import LiveClass
from playground.classes.runner import RUNNERS
from playground.routing import websocket_urlpatterns
from playground.topologies.tokens import JOIN_ALPHABET, JOIN_CODE_LENGTH
from tests.playground.conftest import make_document

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

application = URLRouter(websocket_urlpatterns)


@pytest_asyncio.fixture
async def live_class() -> tuple[str, str]:
    """A class opened through the API's model call: its join code and the teacher's token."""
    created, token = await asyncio.to_thread(LiveClass.start, make_document())
    yield created.code, token
    runner = RUNNERS.get(created.code)
    if runner is not None:
        await runner.end("test over")


async def join(code: str) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, f"/ws/live/{code}/")
    connected, _ = await communicator.connect()
    assert connected
    hello = await next_of(communicator, "hello")
    assert hello["role"] == "student"
    return communicator


async def teach(code: str, token: str) -> WebsocketCommunicator:
    communicator = await join(code)
    await communicator.send_json_to({"type": "auth", "token": token})
    assert (await next_of(communicator, "hello"))["role"] == "teacher"
    return communicator


async def next_of(communicator: WebsocketCommunicator, kind: str, limit: int = 100) -> dict:
    for _ in range(limit):
        message = await communicator.receive_json_from(timeout=5)
        if message["type"] == kind:
            return message
    raise AssertionError(f"no {kind!r} message among the next {limit}")


async def audience_reaches(communicator: WebsocketCommunicator, count: int, limit: int = 10) -> bool:
    """Whether the audience count announced to this connection reaches `count` (counts change one by one)."""
    for _ in range(limit):
        if (await next_of(communicator, "audience"))["students"] == count:
            return True
    return False


async def leave(*communicators: WebsocketCommunicator) -> None:
    for communicator in communicators:
        await communicator.disconnect()


class TestJoinCode:
    async def test_it_is_short_and_unambiguous(self, live_class):
        code, _ = live_class
        assert len(code) == JOIN_CODE_LENGTH
        assert set(code) <= set(JOIN_ALPHABET)
        assert not set(code) & set("0O1IL5S2Z8B")

    async def test_typing_it_in_lower_case_works(self, live_class):
        code, _ = live_class
        student = await join(code.lower())
        await leave(student)

    async def test_an_unknown_code_is_refused(self):
        communicator = WebsocketCommunicator(application, "/ws/live/QQQQQQ/")
        await communicator.connect()
        ended = await communicator.receive_json_from()
        assert ended["type"] == "ended"
        assert "no live class" in ended["reason"]
        await communicator.disconnect()


class TestTeaching:
    async def test_students_receive_the_same_frames_in_step(self, live_class):
        code, token = live_class
        students = [await join(code) for _ in range(3)]
        teacher = await teach(code, token)
        for _ in range(3):
            await teacher.send_json_to({"type": "step"})
        seen = [[(await next_of(s, "frame"))["t"] for _ in range(3)] for s in students]
        assert seen[0] == seen[1] == seen[2]
        assert seen[0] == sorted(seen[0]) and len(set(seen[0])) == 3
        assert RUNNERS[code].live.t == pytest.approx(seen[0][-1])  # one simulation for everyone
        await leave(teacher, *students)

    async def test_play_streams_to_everyone(self, live_class):
        code, token = live_class
        student = await join(code)
        teacher = await teach(code, token)
        await teacher.send_json_to({"type": "start"})
        assert (await next_of(student, "state"))["running"] is True
        frames = [await next_of(student, "frame") for _ in range(3)]
        assert frames[0]["t"] < frames[-1]["t"]
        await teacher.send_json_to({"type": "pause"})
        assert (await next_of(student, "state"))["running"] is False
        await leave(teacher, student)

    async def test_the_teachers_actions_reach_every_student(self, live_class):
        code, token = live_class
        students = [await join(code) for _ in range(2)]
        teacher = await teach(code, token)
        await teacher.send_json_to({"type": "act", "action": "kill", "target": "web1"})
        await teacher.send_json_to({"type": "step"})
        for student in students:
            event = await next_of(student, "event")
            assert (event["kind"], event["target"]) == ("kill", "web1")
        await teacher.send_json_to({"type": "narrate", "text": "Watch web2 take all the traffic."})
        for student in students:
            assert (await next_of(student, "narration"))["text"].startswith("Watch web2")
        await leave(teacher, *students)

    async def test_a_late_joiner_is_in_step_at_once(self, live_class):
        code, token = live_class
        teacher = await teach(code, token)
        await teacher.send_json_to({"type": "narrate", "text": "Lesson 5"})
        for _ in range(4):
            await teacher.send_json_to({"type": "step"})
        for _ in range(4):
            last = await next_of(teacher, "frame")
        late = WebsocketCommunicator(application, f"/ws/live/{code}/")
        await late.connect()
        hello = await next_of(late, "hello")
        assert hello["frame"]["t"] == last["t"]
        assert hello["narration"] == "Lesson 5"
        assert hello["document"]["title"] == make_document()["title"]
        await leave(teacher, late)

    async def test_the_teacher_sees_how_many_students_are_connected(self, live_class):
        code, token = live_class
        teacher = await teach(code, token)
        students = [await join(code) for _ in range(3)]
        assert await audience_reaches(teacher, 3)
        await leave(students[0])
        assert await audience_reaches(teacher, 2)
        await leave(teacher, *students[1:])


class TestPermissions:
    async def test_students_cannot_control(self, live_class):
        code, _ = live_class
        student = await join(code)
        for message in ({"type": "start"}, {"type": "act", "action": "kill", "target": "web1"}, {"type": "end"}):
            await student.send_json_to(message)
            error = await next_of(student, "error")
            assert "only the teacher" in error["message"]
        assert RUNNERS[code].live.running is False
        await leave(student)

    async def test_a_wrong_teacher_token_is_refused(self, live_class):
        code, _ = live_class
        student = await join(code)
        await student.send_json_to({"type": "auth", "token": "guess"})
        assert "not valid" in (await next_of(student, "error"))["message"]
        await leave(student)

    async def test_guessing_the_teacher_token_is_throttled(self, live_class, settings):
        settings.WS_MESSAGES_PER_SECOND, settings.WS_MESSAGE_BURST = 1, 5
        code, _ = live_class
        student = await join(code)
        for guess in range(50):
            await student.send_json_to({"type": "auth", "token": f"guess-{guess}"})
        errors = [(await next_of(student, "error"))["message"] for _ in range(6)]
        assert all("not valid" in error for error in errors[:5])
        assert "Too many messages" in errors[5]
        await leave(student)

    async def test_the_snapshot_never_carries_the_teacher_token(self, live_class):
        code, token = live_class
        student = WebsocketCommunicator(application, f"/ws/live/{code}/")
        await student.connect()
        assert token not in json.dumps(await student.receive_json_from())
        await leave(student)


class TestEnding:
    async def test_students_are_told_when_the_teacher_ends_it(self, live_class):
        code, token = live_class
        students = [await join(code) for _ in range(2)]
        teacher = await teach(code, token)
        await teacher.send_json_to({"type": "end"})
        for student in students:
            assert "ended the class" in (await next_of(student, "ended"))["reason"]
        assert code not in RUNNERS
        assert (await asyncio.to_thread(LiveClass.objects.get, code=code)).ended_at is not None
        late = WebsocketCommunicator(application, f"/ws/live/{code}/")
        await late.connect()
        assert (await late.receive_json_from())["type"] == "ended"
        await leave(teacher, late, *students)

    async def test_it_ends_after_a_while_with_no_teacher(self, live_class, settings):
        settings.LIVE_TEACHER_TIMEOUT_S = 0.2
        code, token = live_class
        teacher = await teach(code, token)
        student = await join(code)
        await leave(teacher)
        ended = await next_of(student, "ended")
        assert "teacher left" in ended["reason"]
        await leave(student)

    async def test_a_teacher_who_comes_back_keeps_the_class(self, live_class, settings):
        settings.LIVE_TEACHER_TIMEOUT_S = 1.0
        code, token = live_class
        teacher = await teach(code, token)
        await leave(teacher)
        runner = RUNNERS[code]
        await runner.count_audience()
        assert runner.without_teacher_since is not None  # the clock runs while no teacher is there
        teacher = await teach(code, token)
        await live.LOCAL[code].report  # joins are reported together, a moment later
        await runner.count_audience()
        assert runner.without_teacher_since is None
        assert not runner.ended
        await leave(teacher)


class TestSlowStudents:
    async def test_a_student_who_stops_reading_gets_a_bounded_number_of_frames(self, live_class):
        code, token = live_class
        slow, quick = await join(code), await join(code)
        teacher = await teach(code, token)

        async def steps(count: int) -> None:
            for _ in range(count):
                await teacher.send_json_to({"type": "step"})
                frame = await next_of(quick, "frame")
                await quick.send_json_to({"type": "ack", "seq": frame["seq"]})

        await steps(2 * FRAME_WINDOW)
        await teacher.send_json_to({"type": "act", "action": "kill", "target": "web1"})
        await steps(FRAME_WINDOW)
        # Messages to one connection keep their order, so the narration marks the end of the frames.
        await teacher.send_json_to({"type": "narrate", "text": "end of the steps"})
        held = await messages_until(slow, "narration")
        frames = [m for m in held if m["type"] == "frame"]
        assert [m["seq"] for m in frames] == list(range(1, FRAME_WINDOW + 1))
        assert not any(m["type"] == "event" for m in held)

        # Once it acknowledges what it has shown, it is back in step, and the kill it missed is in its log.
        await slow.send_json_to({"type": "ack", "seq": frames[-1]["seq"]})
        await teacher.send_json_to({"type": "step"})
        assert (await next_of(slow, "frame"))["seq"] == 3 * FRAME_WINDOW + 1
        assert (await next_of(slow, "event"))["target"] == "web1"
        await leave(teacher, slow, quick)


async def messages_until(communicator: WebsocketCommunicator, kind: str, limit: int = 1000) -> list[dict]:
    received = []
    for _ in range(limit):
        message = await communicator.receive_json_from(timeout=5)
        if message["type"] == kind:
            return received
        received.append(message)
    raise AssertionError(f"no {kind!r} message among the next {limit}")
