"""`kneadwell outcomes rebuild`: recomputes the course summary, for one clinic or all."""

import pytest

from kneadwell.analytics.models import Course, RefreshState
from kneadwell.analytics.tests.helpers import course
from kneadwell.cli import main

pytestmark = pytest.mark.django_db


def test_it_rebuilds_every_clinic_and_says_how_many(capsys, clinic, therapist, outsider):
    course(clinic, therapist)
    assert main(["outcomes", "rebuild"]) == 0
    out = capsys.readouterr().out
    assert "Willow Clinic" in out and "1 clients" in out and "Elsewhere Clinic" in out
    assert Course.objects.count() == 1
    assert RefreshState.objects.count() == 2


def test_it_rebuilds_one_clinic(capsys, clinic, therapist, outsider):
    course(clinic, therapist)
    assert main(["outcomes", "rebuild", "--clinic", str(clinic.pk)]) == 0
    assert "Elsewhere" not in capsys.readouterr().out


def test_an_unknown_clinic_is_named(capsys, db):
    assert main(["outcomes", "rebuild", "--clinic", "999"]) == 2
    assert "No clinic number 999." in capsys.readouterr().err
