"""The `kneadwell instruments` and `kneadwell score` commands: output and exit codes."""

import argparse
import json

import pytest

from kneadwell.cli.instruments import register


def run(*argv):
    parser = argparse.ArgumentParser(prog="kneadwell")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_it_lists_every_instrument_id_with_its_name(capsys):
    assert run("instruments", "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 12
    assert "odi\tOswestry Disability Index" in lines


def test_it_prints_a_questionnaire(capsys):
    assert run("instruments", "fhir", "odi") == 0
    resource = json.loads(capsys.readouterr().out)
    assert resource["resourceType"] == "Questionnaire"
    assert resource["url"].endswith("/odi")


def test_it_exits_2_for_an_unknown_instrument(capsys):
    assert run("instruments", "fhir", "bpi") == 2
    assert "Unknown instrument 'bpi'" in capsys.readouterr().err


def test_it_prints_the_score_as_json(capsys):
    answers = json.dumps({str(n): v for n, v in enumerate([2] * 8 + [0], 1)})
    assert run("score", "odi", "--answers", answers) == 0
    assert json.loads(capsys.readouterr().out) == {
        "instrument": "odi",
        "score": 35.6,
        "subscores": {},
        "band": "moderate disability",
        "rule": "answered_max1",
    }


def test_it_uses_the_rule_given(capsys):
    answers = json.dumps({str(n): v for n, v in enumerate([2] * 8, 1)})
    assert run("score", "odi", "--answers", answers, "--rule", "answered_max2") == 0
    assert json.loads(capsys.readouterr().out)["score"] == 40.0


def test_it_passes_the_nprs_recall_period(capsys):
    assert run("score", "nprs", "--answers", '{"1": 6}', "--recall", "worst_24h") == 0
    output = json.loads(capsys.readouterr().out)
    assert output["score"] == 6
    assert output["context"] == {"recall": "worst_24h"}


def test_it_passes_psfs_activities(capsys):
    activities = '{"1": "Gardening", "2": "Driving"}'
    assert run("score", "psfs", "--answers", '{"1": 4, "2": 7}', "--activities", activities) == 0
    assert json.loads(capsys.readouterr().out)["score"] == 5.5


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("score", "odi", "--answers", '{"1": 9}'), "ODI item 1"),
        (("score", "odi", "--answers", "not json"), "--answers is not valid JSON"),
        (("score", "odi", "--answers", "[1, 2]"), "--answers must be a JSON object"),
        (("score", "bpi", "--answers", "{}"), "Unknown instrument 'bpi'"),
        (("score", "nprs", "--answers", '{"1": 6}'), "NPRS needs 'recall'"),
        (("score", "sbi", "--answers", '{"1": 2}'), "too many items missing"),
    ],
)
def test_it_exits_2_with_a_message_for_invalid_answers(capsys, argv, message):
    assert run(*argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err


def test_every_parser_has_help():
    parser = argparse.ArgumentParser(prog="kneadwell")
    sub = parser.add_subparsers(dest="command", required=True)
    register(sub)
    helps = {action.dest: action.help for action in sub._choices_actions}
    assert helps["instruments"] and helps["score"]
    score_parser = sub.choices["score"]
    assert all(a.help for a in score_parser._actions)


def test_the_worked_examples_in_the_docs_print_what_they_say(capsys):
    import re
    import shlex
    from pathlib import Path

    docs = Path(__file__).resolve().parents[3] / "docs" / "instruments.md"
    blocks = re.findall(r"```console\n\$ kneadwell (.+)\n(.+)\n```", docs.read_text("utf-8"))
    assert len(blocks) >= 12
    for command, printed in blocks:
        assert run(*shlex.split(command)) == 0
        assert json.loads(capsys.readouterr().out) == json.loads(printed), command
