"""Reading the search text: names folded, phone numbers as reversed digits, partial dates."""

from datetime import date

import pytest

from kneadwell.clients import search
from kneadwell.clients.search import BirthQuery, NameQuery, PhoneQuery


def test_it_folds_case_accents_hyphens_and_apostrophes():
    assert search.fold("  Núñez-O'Brien ") == "nunez obrien"
    assert search.fold("STRAẞE") == "strasse"
    assert search.fold("Zoë  Ångström") == "zoe angstrom"


def test_a_phone_key_is_the_number_reversed_without_its_trunk_zero():
    assert search.phone_key("020 7946 0958") == "8590649702"
    assert search.phone_key("+44 (20) 7946-0958").startswith("8590649702")
    assert search.phone_key("") == ""


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("1961", date(1961, 1, 1), date(1961, 12, 31)),
        ("03/1961", date(1961, 3, 1), date(1961, 3, 31)),
        ("3.1961", date(1961, 3, 1), date(1961, 3, 31)),
        ("1961-03", date(1961, 3, 1), date(1961, 3, 31)),
        ("02/1960", date(1960, 2, 1), date(1960, 2, 29)),
        ("1961-03-07", date(1961, 3, 7), date(1961, 3, 7)),
        ("07/03/1961", date(1961, 3, 7), date(1961, 3, 7)),
        ("7.3.1961", date(1961, 3, 7), date(1961, 3, 7)),
        ("07-03-1961", date(1961, 3, 7), date(1961, 3, 7)),
    ],
)
def test_it_reads_whole_and_partial_birth_dates_day_first(text, first, last):
    assert search.parse(text) == BirthQuery(first, last)


@pytest.mark.parametrize("text", ["31/02/1961", "13/1961", "1961-13", "1961-02-30"])
def test_a_date_that_does_not_exist_is_an_error_that_says_what_to_type(text):
    with pytest.raises(search.SearchError, match="day first"):
        search.parse(text)


@pytest.mark.parametrize(
    "text", ["555-1234", "(020) 7946 0958", "+44 20 7946 0958", "020.7946.0958"]
)
def test_seven_or_more_digits_are_a_phone_number(text):
    assert isinstance(search.parse(text), PhoneQuery)


def test_a_country_code_typed_may_be_missing_from_the_stored_number():
    keys = search.parse("+44 20 7946 0958").keys
    assert search.phone_key("020 7946 0958") in keys  # stored without +44
    assert search.phone_key("+44 20 7946 0958") in keys


def test_family_comma_given_is_one_reading():
    assert search.parse("Lovelace, Ada") == NameQuery(whole="", pairs=(("ada", "lovelace"),))
    assert search.parse("Lovelace,") == NameQuery(whole="", pairs=(("", "lovelace"),))


def test_words_without_a_comma_are_read_both_ways_and_whole():
    query = search.parse("Ada Love")
    assert query.whole == "ada love"
    assert ("ada", "love") in query.pairs and ("love", "ada") in query.pairs


def test_empty_text_is_no_search():
    assert search.parse("   ") is None
    assert search.parse(",") is None


def test_the_prefix_upper_bound_is_above_every_string_with_the_prefix():
    assert search.prefix_upper_bound("abc") == "abd"
    assert "abc" < "abczzz" < search.prefix_upper_bound("abc")


def test_a_prefix_ending_with_the_last_code_point_has_no_upper_bound():
    assert search.prefix_upper_bound("a\U0010ffff") is None
