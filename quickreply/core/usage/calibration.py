"""The typing test behind `quickreply calibrate`: sentences to copy and the speed they show."""

from __future__ import annotations

import difflib
import random
from dataclasses import dataclass

from quickreply.core.errors import ValidationError
from quickreply.core.usage.metrics import LATIN_CHARS_PER_WORD, char_classes

MIN_ACCURACY = 0.5  # below this the agent typed something else; the speed would mean nothing
# faster than the fastest typists: the sentence was pasted, and the speed would wipe out time saved
MAX_SPEED = {"zh-CN": 600, "en": 300}

SENTENCES = {
    "zh-CN": (
        "亲，您好！您的订单今天下午已经发货，预计两到三天送达，请注意查收。",
        "非常理解您的心情，麻烦您拍一张商品问题的照片，我马上为您登记处理。",
        "这款衣服是纯棉面料，尺码偏小一点，建议您按平时的尺码拍大一码哦。",
    ),
    "en": (
        "Thanks for waiting. Your order shipped this afternoon and should arrive within three days.",
        "I understand how frustrating this is. Could you send a photo of the problem so I can help?",
        "This shirt is pure cotton and runs a little small, so we suggest one size up.",
    ),
}


@dataclass(frozen=True)
class TypingResult:
    """What one typing test measured: `speed` is Chinese chars/min (zh-CN) or words/min (en)."""

    language: str
    correct_chars: int
    seconds: float
    accuracy: float
    speed: int


def pick_sentence(language: str, rng: random.Random | None = None) -> str:
    """Return a sentence to copy in `language` ("zh-CN" or "en")."""
    return (rng or random.Random()).choice(SENTENCES["zh-CN" if language == "zh-CN" else "en"])


def measure_typing(target: str, typed: str, seconds: float, language: str) -> TypingResult:
    """Return the speed shown by typing `typed` (copying `target`) in `seconds`.

    Correct characters: non-space characters of `typed` that line up with `target`
    (difflib matching blocks, spaces removed from both). zh-CN: correct / minutes.
    en: correct / 5 / minutes, the same "word" the time-saved formula uses.
    Raises ValidationError when the text is too different, the time is not positive, or the
    speed is beyond any typist's (the sentence was pasted).
    """
    wanted = "".join(target.split())
    got = "".join(typed.split())
    blocks = difflib.SequenceMatcher(None, wanted, got, autojunk=False).get_matching_blocks()
    correct = sum(block.size for block in blocks)
    accuracy = correct / len(wanted) if wanted else 0.0
    if seconds <= 0:
        raise ValidationError("the typing test took no time; try again")
    if accuracy < MIN_ACCURACY:
        raise ValidationError(
            f"only {accuracy:.0%} of the sentence was typed correctly; try again, copying it exactly"
        )
    minutes = seconds / 60
    chinese = language == "zh-CN"
    cjk, latin = char_classes(got)
    # a Chinese test typed in Latin letters (pinyin without the input method) measures nothing
    if chinese and cjk == 0 and latin:
        raise ValidationError("no Chinese characters were typed; switch on your input method")
    per_minute = correct / minutes if chinese else correct / LATIN_CHARS_PER_WORD / minutes
    speed = max(1, round(per_minute))
    if speed > MAX_SPEED["zh-CN" if chinese else "en"]:
        raise ValidationError(
            f"{speed} per minute is faster than anyone types: was the sentence pasted? Try again"
        )
    return TypingResult(language, correct, seconds, accuracy, speed)
