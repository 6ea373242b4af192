"""The system check stops `manage.py check` and the server on invalid knowledge files."""

import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from kneadwell.knowledge import loader
from kneadwell.knowledge.checks import knowledge_files_are_valid


@pytest.fixture
def broken_data(tmp_path, monkeypatch):
    target = tmp_path / "data"
    shutil.copytree(loader.DEFAULT_DATA_DIR, target)
    path = target / "conditions.yaml"
    path.write_text(path.read_text().replace("baseline: [nprs, zcq, psfs]", "baseline: [xyz]", 1))
    monkeypatch.setattr(loader, "DEFAULT_DATA_DIR", target)
    return target


def test_valid_knowledge_passes_the_check():
    assert knowledge_files_are_valid() == []


def test_each_problem_is_an_error_naming_file_entry_and_field(broken_data):
    errors = knowledge_files_are_valid()
    assert [error.id for error in errors] == ["knowledge.E001"]
    assert errors[0].msg == (
        "conditions.yaml: entry 'lss_with_nc', field 'measures.baseline[0]': "
        "unknown instrument 'xyz'"
    )
    assert "kneadwell knowledge check" in errors[0].hint


def test_manage_py_check_fails_on_bad_data(broken_data):
    with pytest.raises(SystemCheckError, match="unknown instrument 'xyz'"):
        call_command("check")
