"""A live class's owner saves it in small parts, from checkpoints; a successor resumes it exactly,
once; failures to save, to end or to reach the owner are told, not swallowed.

In one process with the in-memory coordinator; tests/playground/test_cluster.py does the same
across two processes on Redis.
"""

import asyncio
import json
import threading

import pytest
from channels.testing import WebsocketCommunicator
from django.db import OperationalError
from django.db.models.query import QuerySet

from playground.classes import consumer, live, relay
from playground.classes.coordination import PROCESS_ID, coordinator
from playground.classes.models import LiveClass
from playground.classes.runner import RUNNERS, LiveRunner, group_name
from playground.classes.saving import SAVE_FAILED, SavedClass
from tests.playground import test_live_class as classroom
from tests.playground.test_live_class import application, join, leave, next_of, teach

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]
live_class = classroom.live_class  # the fixture: a class opened through the model call


async def owned(code: str, token: str):
    """The teacher's socket and the class's runner, which runs in this process."""
    teacher = await teach(code, token)
    return teacher, RUNNERS[code]


async def saved(code: str) -> dict[str, str]:
    return await coordinator().load_state(code)


async def died(runner: LiveRunner) -> None:
    """As if the owner's process died: it stops running the class and lets the lease go, unended."""
    await runner.close()
    await coordinator().release(runner.code)


def without_timing(frame: dict) -> dict:
    return {key: value for key, value in frame.items() if key not in ("sent_at", "seq")}


class TestSavedState:
    async def test_what_is_saved_stays_the_same_size_however_many_actions(self, live_class):
        code, token = live_class
        teacher, runner = await owned(code, token)
        # Frames first, so that the engine's 5-second window of headline numbers (kept in the
        # checkpoint, bounded by its seconds) is full before anything is measured.
        for _ in range(60):
            await runner.on_step()
        sizes = {}
        for count in range(1, 5001):
            await runner.on_act({"action": "slow", "target": "web1", "factor": 1 + count % 3})
            if count % 10 == 0:
                await runner.on_step()
            if count in (100, 1000, 5000):
                assert await runner.saver.save()
                sizes[count] = {name: len(part) for name, part in (await saved(code)).items()}
        print(f"saved state after 100 / 1000 / 5000 actions, characters per part: {sizes}")
        sizes = {count: sum(parts.values()) for count, parts in sizes.items()}
        # Bounded: from 1,000 to 5,000 actions it does not grow (an action log would: five times).
        assert sizes[5000] < 1.25 * sizes[1000]
        assert len(runner.live.since) <= 200 and runner.live.log == []  # the owner keeps no history either
        await leave(teacher)

    @pytest.mark.parametrize("seed", [0, 1, 7, 12345])
    async def test_a_successor_steps_the_very_frames_the_owner_would_have(self, live_class, seed):
        code, token = live_class
        teacher, runner = await owned(code, token)
        await runner.on_reset(seed)
        await runner.on_speed(20)
        for number in range(40):
            await runner.on_step()
            if number == 10:
                await runner.on_act({"action": "kill", "target": "web1"})
            if number == 20:
                await runner.loop.call(runner.live.checkpoint)  # as the saver does every 2 s
            if number == 25:
                await runner.on_set("web2", {"workers": 8})
            if number == 30:
                await runner.on_act({"action": "spike", "factor": 3, "seconds": 20})
        assert await runner.saver.save()
        successor = await asyncio.to_thread(LiveRunner.resume, code, SavedClass.decode(await saved(code)))
        try:
            assert successor.live.t == runner.live.t
            assert successor.document == runner.document
            for _ in range(20):
                ours = await runner.loop.call(runner.live.advance)
                theirs = await asyncio.to_thread(successor.live.advance)
                assert without_timing(theirs) == without_timing(ours)
        finally:
            successor.live.close()
        await leave(teacher)

    async def test_a_failed_save_is_retried_the_class_goes_on_and_the_teacher_is_told(self, live_class):
        code, token = live_class
        student = await join(code)
        teacher, runner = await owned(code, token)
        store = coordinator().save_state

        async def unreachable(*args, **kwargs):
            raise ConnectionError("Redis is not answering")

        coordinator().save_state = unreachable
        try:
            await teacher.send_json_to({"type": "start"})
            assert (await next_of(teacher, "error"))["message"] == SAVE_FAILED
            times = [(await next_of(student, "frame", limit=500))["t"] for _ in range(5)]
            assert times == sorted(times) and len(set(times)) == 5  # the class goes on
        finally:
            coordinator().save_state = store
        seq = json.loads((await saved(code))["meta"])["seq"]
        for _ in range(50):  # saving starts again by itself
            frame = await next_of(student, "frame", limit=500)
            if json.loads((await saved(code))["meta"])["seq"] > frame["seq"] - 5 > seq:
                break
        else:
            raise AssertionError("the class's state was not saved again")
        await leave(teacher, student)


class TestTakeover:
    async def test_two_starts_in_one_process_make_one_runner(self, live_class, monkeypatch):
        code, token = live_class
        teacher, runner = await owned(code, token)
        await runner.on_step()
        assert await runner.saver.save()
        await died(runner)
        resumed = []
        resume = LiveRunner.resume
        monkeypatch.setattr(LiveRunner, "resume", classmethod(lambda cls, *a: resumed.append(a) or resume(*a)))
        record = await asyncio.to_thread(LiveClass.objects.get, code=code)
        await asyncio.gather(live.run_class(record), live.run_class(record), live.run_class(record))
        assert len(resumed) == 1
        assert (await next_of(teacher, "event"))["kind"] == "takeover"
        await RUNNERS[code].on_step()
        assert (await next_of(teacher, "frame"))["t"] > 0
        await leave(teacher)

    async def test_a_catch_up_longer_than_a_lease_keeps_the_lease(self, live_class, monkeypatch):
        code, token = live_class
        teacher, runner = await owned(code, token)
        assert await runner.saver.save()
        await leave(teacher)  # no watch of this process's own that could start the class again meanwhile
        await died(runner)
        monkeypatch.setattr("playground.classes.coordination.LEASE_S", 0.3)
        monkeypatch.setattr(live, "TICK_S", 0.05)
        caught_up = threading.Event()
        resume = LiveRunner.resume

        def slow_resume(cls, *args):
            caught_up.wait(timeout=30)
            return resume(*args)

        monkeypatch.setattr(LiveRunner, "resume", classmethod(slow_resume))
        record = await asyncio.to_thread(LiveClass.objects.get, code=code)
        start = asyncio.ensure_future(live.run_class(record))
        await asyncio.sleep(1.0)  # more than three leases' time passes while the successor catches up
        try:
            assert await coordinator().owner(code) == PROCESS_ID
        finally:
            caught_up.set()
        await start
        assert code in RUNNERS
        await RUNNERS[code].end("test over")


class TestTeachersAreTold:
    async def test_a_control_while_no_process_owns_the_class_is_answered(self, live_class, monkeypatch):
        code, token = live_class
        monkeypatch.setattr(live, "TICK_S", 3600)  # no takeover during this test
        teacher, runner = await owned(code, token)
        await died(runner)
        await teacher.send_json_to({"type": "pause"})
        assert "taken over" in (await next_of(teacher, "error"))["message"]
        await leave(teacher)

    async def test_a_control_the_dead_owner_never_answers_is_told(self, live_class, monkeypatch):
        code, token = live_class
        monkeypatch.setattr(live, "TICK_S", 3600)
        monkeypatch.setattr(consumer, "CONTROL_ANSWER_S", 0.2)
        teacher, runner = await owned(code, token)
        await runner.close()  # died holding its lease: the control goes to nobody
        await teacher.send_json_to({"type": "pause"})
        assert (await next_of(teacher, "error"))["message"] == consumer.UNANSWERED
        await coordinator().release(code)
        await leave(teacher)

    async def test_a_database_error_while_ending_leaves_the_class_running_whole(self, live_class, monkeypatch):
        code, token = live_class
        student = await join(code)
        teacher, runner = await owned(code, token)
        update = QuerySet.update

        def down(queryset, **values):
            if "ended_at" in values:
                raise OperationalError("the database is not answering")
            return update(queryset, **values)

        monkeypatch.setattr(QuerySet, "update", down)
        await teacher.send_json_to({"type": "end"})
        assert "not ended" in (await next_of(teacher, "error"))["message"]
        await teacher.send_json_to({"type": "step"})
        assert (await next_of(student, "frame"))["t"] > 0  # still running, still owned here
        assert RUNNERS[code] is runner and await coordinator().owner(code) == PROCESS_ID

        monkeypatch.setattr(QuerySet, "update", update)
        await teacher.send_json_to({"type": "end"})
        assert "ended" in (await next_of(student, "ended"))["reason"]
        ended = await asyncio.to_thread(LiveClass.objects.get, code=code)
        assert ended.ended_at is not None and json.loads((await saved(code))["meta"])["ended"] is True


class TestRefusedJoins:
    async def test_a_join_refused_for_memory_says_so_and_leaves_nothing_behind(self, live_class, settings):
        code, _ = live_class
        settings.SIM_MEMORY_MB = 0
        communicator = WebsocketCommunicator(application, f"/ws/live/{code}/")
        connected, _ = await communicator.connect()
        assert connected
        refused = await communicator.receive_json_from(timeout=5)
        assert refused["type"] == "error" and "memory" in json.dumps(refused["problems"])
        assert (await communicator.receive_output(timeout=5))["code"] == 4503  # the page tries again later
        assert group_name(code) not in relay.RELAYS and code not in live.LOCAL
        await communicator.disconnect()
