"""The ``kneadwell knowledge check`` command."""

import argparse
import shutil

import pytest

from kneadwell.cli import knowledge as commands
from kneadwell.knowledge.loader import DEFAULT_DATA_DIR


def _run(argv):
    parser = argparse.ArgumentParser(prog="kneadwell")
    commands.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_it_reports_ok_and_exits_zero_for_the_built_in_data(capsys):
    assert _run(["knowledge", "check"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("knowledge: OK (")
    assert "10 conditions" in out


def test_it_prints_each_problem_on_stderr_and_exits_one(tmp_path, capsys):
    data_dir = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data_dir)
    conditions = data_dir / "conditions.yaml"
    conditions.write_text(
        conditions.read_text().replace("periodic: [sbi]", "periodic: [xyz]"), encoding="utf-8"
    )

    assert _run(["knowledge", "check", "--data-dir", str(data_dir)]) == 1

    captured = capsys.readouterr()
    assert captured.out == ""
    assert (
        "conditions.yaml: entry 'sciatica', field 'measures.periodic[0]': "
        "unknown instrument 'xyz'" in captured.err
    )


def test_knowledge_without_an_action_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        _run(["knowledge"])
    assert exit_info.value.code == 2


def test_every_parser_has_help_text():
    parser = argparse.ArgumentParser(prog="kneadwell")
    sub = parser.add_subparsers(dest="command")
    commands.register(sub)
    knowledge_help = {action.dest: action.help for action in sub._choices_actions}
    assert knowledge_help["knowledge"]
    knowledge = sub.choices["knowledge"]
    actions = next(a for a in knowledge._actions if isinstance(a, argparse._SubParsersAction))
    assert all(choice.help for choice in actions._choices_actions)
