"""The example course (courses/swift-basics) as a plain aiogram 3 bot: the benchmark's peer.

It teaches the same flow as Gongbu's course bot, with the same texts and button labels where
the benchmark's scripted students look (welcome card with Start; steps "Step i/N · Title" with
Back / Next / Contents; the quiz with option buttons edited after an answer, toggles and Submit,
a native quiz poll and a free-text question; an auto-reviewed text assignment; /progress,
/contents, /help). Written the way an aiogram developer would: handlers on a Router, state in
SQLite (one row per student, committed after every update), media uploaded once and then sent
by file_id, and a request middleware that waits out a 429's retry_after and tries again.

Run: bot.py --api http://127.0.0.1:PORT --token TOKEN --data DIR --course courses/swift-basics
"""

import argparse
import asyncio
import html
import json
import logging
import os
import sqlite3
import sys

import yaml
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramRetryAfter
from aiogram.filters import Command, CommandStart
from aiogram.types import (
    CallbackQuery,
    FSInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputPollOption,
    Message,
    PollAnswer,
)

NEXT, BACK, CONTENTS = "Next ▶️", "◀️ Back", "📋 Contents"


class RetryAfter(BaseRequestMiddleware):
    """Waits out Telegram's retry_after on 429 and sends again (what most production aiogram bots add)."""

    def __init__(self):
        self.too_many = 0

    async def __call__(self, make_request, bot, method):
        for _ in range(20):
            try:
                logging.debug("call %s", type(method).__name__)
                return await make_request(bot, method)
            except TelegramRetryAfter as error:
                self.too_many += 1
                logging.debug("429 on %s, retry after %s", type(method).__name__, error.retry_after)
                await asyncio.sleep(error.retry_after)
        return await make_request(bot, method)


class Store:
    """Durable state in SQLite: a JSON row per student, progress rows, poll ids, media file ids."""

    def __init__(self, path):
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(
            """
            CREATE TABLE IF NOT EXISTS students (user_id INTEGER PRIMARY KEY, state TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS progress (user_id INTEGER, step_id TEXT, score INTEGER,
                PRIMARY KEY (user_id, step_id));
            CREATE TABLE IF NOT EXISTS polls (poll_id TEXT PRIMARY KEY, user_id INTEGER);
            CREATE TABLE IF NOT EXISTS media_cache (path TEXT PRIMARY KEY, file_id TEXT);
            """
        )
        self.media = dict(self.db.execute("SELECT path, file_id FROM media_cache").fetchall())

    def load(self, user_id):
        row = self.db.execute("SELECT state FROM students WHERE user_id = ?", (user_id,)).fetchone()
        if row:
            return json.loads(row[0])
        return {"enrolled": False, "current": None, "done": [], "quiz": None, "awaiting": None,
                "passes": 0, "score": None, "completed": False}

    def save(self, user_id, state, done_step=None, score=None):
        self.db.execute("BEGIN")
        self.db.execute("INSERT OR REPLACE INTO students (user_id, state) VALUES (?, ?)",
                        (user_id, json.dumps(state)))
        if done_step is not None:
            self.db.execute("INSERT OR REPLACE INTO progress (user_id, step_id, score) VALUES (?, ?, ?)",
                            (user_id, done_step, score))
        self.db.execute("COMMIT")

    def remember_poll(self, poll_id, user_id):
        self.db.execute("INSERT OR REPLACE INTO polls (poll_id, user_id) VALUES (?, ?)", (poll_id, user_id))

    def poll_user(self, poll_id):
        row = self.db.execute("SELECT user_id FROM polls WHERE poll_id = ?", (poll_id,)).fetchone()
        return row[0] if row else None

    def cache_media(self, path, file_id):
        self.media[path] = file_id
        self.db.execute("INSERT OR REPLACE INTO media_cache (path, file_id) VALUES (?, ?)", (path, file_id))


def keyboard(rows):
    return InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text=text, callback_data=data) for text, data in row] for row in rows if row
    ])


class Course:
    """The course's steps and the screens built from them."""

    def __init__(self, folder):
        self.folder = folder
        with open(os.path.join(folder, "course.yaml"), encoding="utf-8") as file:
            manifest = yaml.safe_load(file)
        self.title = manifest["title"]
        self.description = manifest.get("description", "")
        self.minutes = manifest.get("duration_minutes")
        self.steps = manifest["steps"]
        self.index = {step["id"]: i for i, step in enumerate(self.steps)}

    def header(self, i):
        return f"Step {i + 1}/{len(self.steps)} · {self.steps[i].get('title', 'Step')}"

    def progress_line(self, state):
        done = len(state["done"])
        bar = "▰" * done + "▱" * (len(self.steps) - done)
        return f"{bar} {done}/{len(self.steps)} steps done"

    def navigation(self, i, state):
        row = []
        if i > 0:
            row.append((BACK, f"b:{i}"))
        if self.steps[i]["id"] in state["done"] and i + 1 < len(self.steps):
            row.append((NEXT, f"n:{i}"))
        return keyboard([row, [(CONTENTS, "c")]])


class CourseBot:
    def __init__(self, bot, course, store):
        self.bot = bot
        self.course = course
        self.store = store
        self.router = Router()
        r = self.router
        r.message(CommandStart())(self.on_start)
        r.message(Command("progress"))(self.on_progress)
        r.message(Command("contents"))(self.on_contents)
        r.message(Command("help"))(self.on_help)
        r.message(F.text)(self.on_text)
        r.callback_query()(self.on_callback)
        r.poll_answer()(self.on_poll_answer)

    # Screens

    async def on_start(self, message: Message):
        state = self.store.load(message.chat.id)
        c = self.course
        note = "Welcome back! Pick up where you left off." if state["enrolled"] else "Press Start to begin."
        text = (f"<b>{html.escape(c.title)}</b>\n\n{html.escape(c.description)}\n\n"
                f"📚 {len(c.steps)} steps · ⏱ {c.minutes} min\n\n{note}")
        label = "Continue" if state["enrolled"] else "Start"
        await message.answer(text, reply_markup=keyboard([[(label, "s")]]))
        self.store.save(message.chat.id, state)

    async def on_progress(self, message: Message):
        state = self.store.load(message.chat.id)
        c = self.course
        lines = [f"<b>Your progress</b> · {html.escape(c.title)}", "", c.progress_line(state)]
        if state["current"] is not None:
            lines.append(f"Current step: {html.escape(c.steps[c.index[state['current']]].get('title', ''))}")
        if state["score"] is not None:
            lines.append(f"Quiz score: {state['score']}%")
        if state["completed"]:
            lines += ["", "Course completed 🎉"]
        await message.answer("\n".join(lines))

    def contents_screen(self, state):
        c = self.course
        lines, rows = ["<b>Contents</b>", ""], []
        for i, step in enumerate(c.steps):
            mark = "✅" if step["id"] in state["done"] else "▶️" if step["id"] == state["current"] else "▫️"
            lines.append(f"{mark} {i + 1}. {html.escape(step.get('title', ''))}")
            if self.unlocked(i, state):
                rows.append([(f"{i + 1}. {step.get('title', '')}", f"o:{i}")])
        return "\n".join(lines), keyboard(rows)

    async def on_contents(self, message: Message):
        text, markup = self.contents_screen(self.store.load(message.chat.id))
        await message.answer(text, reply_markup=markup)

    async def on_help(self, message: Message):
        await message.answer(
            "<b>How it works</b>\n\nGo through the steps one by one with the Next and Back buttons.\n"
            "/start — the course card\n/contents — all steps\n/progress — how far you are\n/help — this message")

    # Steps

    def unlocked(self, i, state):
        return all(step["id"] in state["done"] for step in self.course.steps[:i])

    async def open_step(self, chat_id, i, state):
        c = self.course
        step = c.steps[i]
        kind = step["type"]
        state["enrolled"] = True
        state["current"] = step["id"]
        state["awaiting"] = None
        done_step = None
        if kind not in ("quiz", "assignment") and step["id"] not in state["done"]:
            state["done"].append(step["id"])
            done_step = step["id"]
        left = step.get("attempts", 0) - state["passes"]
        asking = kind == "quiz" and step["id"] not in state["done"]
        if asking:
            state["passes"] += 1
            state["quiz"] = {"step": i, "q": 0, "selected": [], "answers": []}
        if kind == "assignment" and step["id"] not in state["done"]:
            state["awaiting"] = step["id"]
        completes = not state["completed"] and len(state["done"]) == len(c.steps)
        state["completed"] = state["completed"] or completes
        # Saved before anything is sent: the student's next update may arrive before this handler resumes.
        self.store.save(chat_id, state, done_step)
        header = f"<b>{html.escape(c.header(i))}</b>"
        progress = f"<i>{c.progress_line(state)}</i>"
        markup = c.navigation(i, state)
        if kind == "text":
            await self.bot.send_message(chat_id, f"{header}\n\n{html.escape(step['text'].strip())}\n\n{progress}",
                                        reply_markup=markup)
        elif kind in ("photo", "video", "document", "audio"):
            await self.send_media(chat_id, kind, step, f"{header}\n\n{html.escape(step.get('caption', ''))}\n\n{progress}",
                                  markup)
        elif kind == "quiz":
            questions = len(step["questions"])
            body = f"{questions} questions · {step.get('pass_score', 100)}% to pass\n{left} attempts left"
            await self.bot.send_message(chat_id, f"{header}\n\n{body}\n\n{progress}", reply_markup=markup)
            if asking:
                await self.ask(chat_id, state)
        elif kind == "assignment":
            if step["id"] in state["done"]:
                body = "<b>Thank you! Your work is accepted.</b>"
            else:
                kinds = ", ".join(step.get("accept", ["text"]))
                body = f"Send your work as a message.\n<i>Accepted: {kinds}</i>"
            await self.bot.send_message(
                chat_id, f"{header}\n\n{html.escape(step['text'].strip())}\n\n{body}\n\n{progress}", reply_markup=markup)
        if completes:
            await self.send_completion(chat_id, state)

    async def send_media(self, chat_id, kind, step, caption, markup):
        path = os.path.join(self.course.folder, step["file"])
        media = self.store.media.get(path) or FSInputFile(path)
        send = {"photo": self.bot.send_photo, "video": self.bot.send_video,
                "document": self.bot.send_document, "audio": self.bot.send_audio}[kind]
        sent = await send(chat_id, media, caption=caption, reply_markup=markup)
        if path not in self.store.media:
            item = {"photo": lambda m: m.photo[-1], "video": lambda m: m.video,
                    "document": lambda m: m.document, "audio": lambda m: m.audio}[kind](sent)
            self.store.cache_media(path, item.file_id)

    def mark_complete(self, state):
        """Whether this update completes the course (then the completion message follows)."""
        if state["completed"] or len(state["done"]) < len(self.course.steps):
            return False
        state["completed"] = True
        return True

    async def send_completion(self, chat_id, state):
        c = self.course
        score = f"\nYour average quiz score: {state['score']}%." if state["score"] is not None else ""
        await self.bot.send_message(
            chat_id, f"<b>Congratulations! 🎉</b>\n\nYou have finished «{html.escape(c.title)}» — "
                     f"{len(state['done'])}/{len(c.steps)} steps done.{score}\n\nUse /contents to revisit any step.")

    # Quiz

    def question(self, state):
        quiz = state["quiz"]
        return self.course.steps[quiz["step"]]["questions"][quiz["q"]]

    def question_text(self, state, hint):
        quiz = state["quiz"]
        total = len(self.course.steps[quiz["step"]]["questions"])
        return f"<i>Question {quiz['q'] + 1} of {total}</i>\n\n{html.escape(self.question(state)['question'])}\n\n{hint}"

    def toggles(self, state):
        selected = state["quiz"]["selected"]
        q = state["quiz"]["q"]
        rows = [[(("☑ " if i in selected else "☐ ") + option, f"t:{q}:{i}")]
                for i, option in enumerate(self.question(state)["options"])]
        return keyboard(rows + [[("Submit", f"u:{q}")]])

    async def ask(self, chat_id, state):
        question = self.question(state)
        q = state["quiz"]["q"]
        if "answers" in question:
            await self.bot.send_message(chat_id, self.question_text(state, "Type your answer and send it as a message."))
        elif question.get("native"):
            correct = question["correct"]
            poll = await self.bot.send_poll(
                chat_id, question["question"], [InputPollOption(text=str(option)) for option in question["options"]], type="quiz",
                is_anonymous=False, correct_option_ids=[correct], explanation=question.get("explanation"))
            self.store.remember_poll(poll.poll.id, chat_id)
        elif isinstance(question["correct"], list):
            await self.bot.send_message(
                chat_id, self.question_text(state, "Choose all correct answers, then press Submit."),
                reply_markup=self.toggles(state))
        else:
            rows = [[(str(option), f"a:{q}:{i}")] for i, option in enumerate(question["options"])]
            await self.bot.send_message(chat_id, self.question_text(state, "Choose an answer:"), reply_markup=keyboard(rows))

    async def answered(self, chat_id, state, right, answer, message_id=None, typed=False, show=True):
        question = self.question(state)
        verdict = "✅ Correct!" if right else "❌ Wrong."
        text = self.question_text(state, f"Your answer: {html.escape(answer)}") + f"\n\n<b>{verdict}</b>"
        if question.get("explanation"):
            text += f"\n\n💡 {html.escape(question['explanation'])}"
        quiz = state["quiz"]
        quiz["answers"].append(right)
        quiz["q"] += 1
        quiz["selected"] = []
        index = quiz["step"]
        step = self.course.steps[index]
        finished = quiz["q"] >= len(step["questions"])
        correct, total = sum(quiz["answers"]), len(step["questions"])
        percent = correct * 100 // total
        passed = finished and percent >= step.get("pass_score", 100)
        completes = False
        if finished:
            state["quiz"] = None
            if passed:
                state["done"].append(step["id"])
                state["score"] = percent
                completes = self.mark_complete(state)
        # Saved before anything is sent: the student's next update may arrive before this handler resumes.
        self.store.save(chat_id, state, step["id"] if passed else None, correct if passed else None)
        if show:
            if typed:
                await self.bot.send_message(chat_id, text)
            else:
                await self.bot.edit_message_text(text=text, chat_id=chat_id, message_id=message_id)
        if not finished:
            await self.ask(chat_id, state)
            return verdict
        if passed:
            title, rows = "Quiz passed! 🎉", [[(NEXT, f"n:{index}")]]
        else:
            title, rows = f"Not passed yet: you need {step.get('pass_score', 100)}% to pass.", [[("Retry", f"r:{index}")]]
        rows.append([(CONTENTS, "c")])
        await self.bot.send_message(
            chat_id, f"<b>{html.escape(self.course.header(index))}</b>\n\n{'✅' if passed else '❌'} <b>{title}</b>\n"
                     f"Your score: {percent}% ({correct} of {total})", reply_markup=keyboard(rows))
        if completes:
            await self.send_completion(chat_id, state)
        return verdict

    async def on_poll_answer(self, answer: PollAnswer):
        chat_id = self.store.poll_user(answer.poll_id)
        if chat_id is None:
            return
        state = self.store.load(chat_id)
        if not state["quiz"] or not self.question(state).get("native"):
            return
        right = answer.option_ids == [self.question(state)["correct"]]
        await self.answered(chat_id, state, right, "", show=False)

    # Text and buttons

    async def on_text(self, message: Message):
        chat_id = message.chat.id
        state = self.store.load(chat_id)
        if state["awaiting"] and state["awaiting"] == state["current"]:
            i = self.course.index[state["awaiting"]]
            state["awaiting"] = None
            state["done"].append(self.course.steps[i]["id"])
            completes = self.mark_complete(state)
            self.store.save(chat_id, state, self.course.steps[i]["id"])
            rows = [[(NEXT, f"n:{i}")]] if i + 1 < len(self.course.steps) else []
            await message.answer("✅ Thank you! Your work is accepted.", reply_markup=keyboard(rows + [[(CONTENTS, "c")]]))
            if completes:
                await self.send_completion(chat_id, state)
        elif state["quiz"] and "answers" in self.question(state):
            typed = message.text.strip()
            right = typed.lower() in [str(a).lower() for a in self.question(state)["answers"]]
            await self.answered(chat_id, state, right, typed, typed=True)
        else:
            await message.answer("I can't use this message here. Use the buttons, or send /help.")

    async def on_callback(self, query: CallbackQuery):
        chat_id = query.message.chat.id
        state = self.store.load(chat_id)
        kind, *args = query.data.split(":")
        args = [int(a) for a in args]
        toast = None
        steps = len(self.course.steps)
        if kind == "s":
            nxt = next((i for i, step in enumerate(self.course.steps) if step["id"] not in state["done"]), None)
            await query.answer()
            if nxt is None:
                text, markup = self.contents_screen(state)
                await self.bot.send_message(chat_id, text, reply_markup=markup)
            else:
                await self.open_step(chat_id, nxt, state)
            return
        if kind in ("n", "b", "o"):
            i = args[0] + 1 if kind == "n" else args[0] - 1 if kind == "b" else args[0]
            if 0 <= i < steps and self.unlocked(i, state):
                await query.answer()
                await self.open_step(chat_id, i, state)
            else:
                await query.answer("Finish the previous steps first.")
            return
        if kind == "c":
            await query.answer()
            text, markup = self.contents_screen(state)
            await self.bot.send_message(chat_id, text, reply_markup=markup)
            return
        if kind == "r":
            await query.answer()
            step = self.course.steps[args[0]]
            if step["id"] not in state["done"]:
                state["passes"] += 1
                state["quiz"] = {"step": args[0], "q": 0, "selected": [], "answers": []}
                self.store.save(chat_id, state)
                await self.ask(chat_id, state)
            return
        quiz = state["quiz"]
        if not quiz or quiz["q"] != args[0]:
            await query.answer("You have already answered this question.")
            return
        question = self.question(state)
        message_id = query.message.message_id
        if kind == "a":
            right = args[1] == question["correct"]
            toast = await self.answered(chat_id, state, right, str(question["options"][args[1]]), message_id)
        elif kind == "t":
            selected = quiz["selected"]
            selected.remove(args[1]) if args[1] in selected else selected.append(args[1])
            selected.sort()
            self.store.save(chat_id, state)
            await self.bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id, reply_markup=self.toggles(state))
        elif kind == "u":
            if not quiz["selected"]:
                toast = "Choose at least one option first."
            else:
                right = sorted(quiz["selected"]) == sorted(question["correct"])
                answer = ", ".join(str(question["options"][i]) for i in quiz["selected"])
                toast = await self.answered(chat_id, state, right, answer, message_id)
        await query.answer(toast)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--course", required=True)
    options = parser.parse_args()
    logging.basicConfig(level=os.environ.get("PEER_LOG_LEVEL", "ERROR"), stream=sys.stderr, format="%(asctime)s %(message)s")
    os.makedirs(options.data, exist_ok=True)
    session = AiohttpSession(api=TelegramAPIServer.from_base(options.api))
    retry = RetryAfter()
    session.middleware(retry)
    bot = Bot(options.token, session=session, default=DefaultBotProperties(parse_mode="HTML"))
    course_bot = CourseBot(bot, Course(options.course), Store(os.path.join(options.data, "peer.sqlite")))
    dispatcher = Dispatcher()
    dispatcher.include_router(course_bot.router)
    try:
        await dispatcher.start_polling(bot, polling_timeout=30, handle_signals=True, close_bot_session=True)
    finally:
        print(f"PEER too_many={retry.too_many}", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
