"""What `bagu ask` prints: an abstention says so once."""

from __future__ import annotations

import pytest

from bagu.cli.coach import print_answer
from bagu.coach.cited_answer import NOTES_DO_NOT_COVER, Answer


def test_an_abstention_is_said_once(capsys: pytest.CaptureFixture[str]) -> None:
    answer = Answer(
        "how does G1 work",
        "extractive",
        NOTES_DO_NOT_COVER,
        confidence=0.2,
        abstained=True,
        notice=NOTES_DO_NOT_COVER,
    )
    print_answer(answer)
    out, err = capsys.readouterr()
    assert (out + err).count(NOTES_DO_NOT_COVER) == 1
    other = Answer(
        "q", "extractive", NOTES_DO_NOT_COVER, abstained=True, notice="the model is busy"
    )
    print_answer(other)
    out, err = capsys.readouterr()
    assert "the model is busy" in err and NOTES_DO_NOT_COVER in out
