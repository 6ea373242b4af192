"""Forms of the calendar: booking, moving, cancelling, a series from a plan, and the owner's
set-up (settings, types, rooms, hours, time off). Dates and times are the clinic's wall clock."""

from datetime import timedelta

from django import forms

from kneadwell.appointments import access, schedule
from kneadwell.appointments.models import (
    AppointmentType,
    ClinicCalendar,
    Room,
    TimeOff,
    Weekday,
    time_zone_choices,
)
from kneadwell.core.forms import optional_note

DATE = forms.DateInput(attrs={"type": "date"})


def sensible_year(value) -> None:
    if not schedule.FIRST_YEAR <= value.year <= schedule.LAST_YEAR:
        raise forms.ValidationError(
            f"Choose a date between {schedule.FIRST_YEAR} and {schedule.LAST_YEAR}."
        )


TIME = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")

REASON_HELP = (
    "Only the owner can book outside a therapist's hours or time off; say why (kept with the "
    "appointment)."
)


class WhenMixin:
    """Turns the date, time and minutes fields into aware starts and ends in the clinic's zone."""

    def when(self, zone, default_minutes: int):
        data = self.cleaned_data
        starts = schedule.wall_clock(data["day"], data["at"], zone)
        minutes = data.get("minutes") or default_minutes
        return starts, starts + timedelta(minutes=minutes)


class BookingForm(WhenMixin, forms.Form):
    client = forms.ModelChoiceField(queryset=None)
    therapist = forms.ModelChoiceField(queryset=None)
    appointment_type = forms.ModelChoiceField(queryset=None, label="Type")
    day = forms.DateField(label="Date", widget=DATE, validators=[sensible_year])
    at = forms.TimeField(label="Start time", widget=TIME)
    minutes = optional_note(
        forms.IntegerField(
            min_value=5,
            max_value=480,
            required=False,
            help_text="Leave empty for the type's usual length.",
        ),
        "",
    )
    room = forms.ModelChoiceField(queryset=None, required=False)
    outside_hours_reason = optional_note(
        forms.CharField(
            label="Reason to book outside hours",
            max_length=300,
            required=False,
            help_text=REASON_HELP,
        ),
        "owner only",
    )

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        clinic_id = membership.clinic_id
        self.fields["client"].queryset = access.bookable_clients(membership)
        self.fields["therapist"].queryset = access.therapists_of(clinic_id)
        self.fields["appointment_type"].queryset = access.types_of(clinic_id)
        self.fields["room"].queryset = access.rooms_of(clinic_id)
        if not self.fields["room"].queryset.exists():
            del self.fields["room"]
        if not membership.is_owner:
            del self.fields["outside_hours_reason"]


class MoveForm(WhenMixin, forms.Form):
    day = forms.DateField(label="New date", widget=DATE, validators=[sensible_year])
    at = forms.TimeField(label="New start time", widget=TIME)
    minutes = forms.IntegerField(min_value=5, max_value=480)
    room = forms.ModelChoiceField(queryset=None, required=False)
    outside_hours_reason = optional_note(
        forms.CharField(
            label="Reason to book outside hours",
            max_length=300,
            required=False,
            help_text=REASON_HELP,
        ),
        "owner only",
    )

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = access.rooms_of(membership.clinic_id)
        if not self.fields["room"].queryset.exists():
            del self.fields["room"]
        if not membership.is_owner:
            del self.fields["outside_hours_reason"]


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        help_text="For the record, e.g. client called, unwell; clinic closed. No clinical detail.",
    )


class SeriesForm(forms.Form):
    therapist = forms.ModelChoiceField(queryset=None)
    appointment_type = forms.ModelChoiceField(queryset=None, label="Type")
    first_day = forms.DateField(label="From", widget=DATE, validators=[sensible_year])
    weekdays = forms.TypedMultipleChoiceField(
        choices=Weekday.choices, coerce=int, widget=forms.CheckboxSelectMultiple, label="On"
    )
    at = forms.TimeField(label="At", widget=TIME)
    count = forms.IntegerField(label="Sessions", min_value=1, max_value=52)
    room = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        clinic_id = membership.clinic_id
        self.fields["therapist"].queryset = access.therapists_of(clinic_id)
        self.fields["appointment_type"].queryset = access.types_of(clinic_id)
        self.fields["room"].queryset = access.rooms_of(clinic_id)
        if not self.fields["room"].queryset.exists():
            del self.fields["room"]


class CalendarSettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=time_zone_choices)

    class Meta:
        model = ClinicCalendar
        fields = [
            "time_zone",
            "address",
            "reminder_hours",
            "cancellation_hours",
            "clients_may_book",
            "booking_days_ahead",
            "booking_notice_hours",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}


class UniqueNameMixin:
    """A name unique in the clinic, said next to the field (the clinic is not a form field, so
    the model's unique constraint is not checked by the form itself)."""

    taken = "The clinic already has one with this name."

    def clean_name(self):
        name = self.cleaned_data["name"]
        others = type(self.instance).objects.filter(clinic_id=self.instance.clinic_id, name=name)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(self.taken)
        return name


class AppointmentTypeForm(UniqueNameMixin, forms.ModelForm):
    taken = "The clinic already has a type with this name."

    class Meta:
        model = AppointmentType
        fields = ["name", "minutes", "colour", "bookable_online", "is_active"]
        widgets = {"colour": forms.TextInput(attrs={"type": "color"})}

    def __init__(self, *args, clinic_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.clinic_id = clinic_id


class RoomForm(UniqueNameMixin, forms.ModelForm):
    taken = "The clinic already has a room with this name."

    class Meta:
        model = Room
        fields = ["name", "is_active"]

    def __init__(self, *args, clinic_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.clinic_id = clinic_id


class HoursForm(forms.Form):
    """A week of working hours: per weekday a start and end (empty: not working) and a break."""

    def __init__(self, *args, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for day, name in Weekday.choices:
            hours = current.get(day)
            for part, label in (
                ("starts", f"{name}: starts"),
                ("ends", f"{name}: ends"),
                ("break_starts", f"{name}: break from"),
                ("break_ends", f"{name}: break until"),
            ):
                field = forms.TimeField(label=label, required=False, widget=TIME)
                field.initial = getattr(hours, part, None) if hours else None
                self.fields[f"{day}_{part}"] = optional_note(field, "")

    def days(self):
        """[(weekday name, [bound fields])] for the template's rows."""
        return [
            (name, [self[f"{day}_{p}"] for p in ("starts", "ends", "break_starts", "break_ends")])
            for day, name in Weekday.choices
        ]

    def clean(self):
        data = super().clean()
        for day, name in Weekday.choices:
            starts, ends = data.get(f"{day}_starts"), data.get(f"{day}_ends")
            b_starts, b_ends = data.get(f"{day}_break_starts"), data.get(f"{day}_break_ends")
            if bool(starts) != bool(ends):
                self.add_error(
                    f"{day}_ends", f"Give both a start and an end on {name}, or neither."
                )
            elif starts and ends <= starts:
                self.add_error(f"{day}_ends", f"{name} must end after it starts.")
            if bool(b_starts) != bool(b_ends):
                self.add_error(f"{day}_break_ends", f"Give the {name} break a start and an end.")
            elif b_starts and starts and ends and not (starts <= b_starts < b_ends <= ends):
                self.add_error(
                    f"{day}_break_ends", f"The {name} break must fall within the working hours."
                )
        return data

    def week(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            day: {
                p: data.get(f"{day}_{p}") for p in ("starts", "ends", "break_starts", "break_ends")
            }
            for day, _ in Weekday.choices
            if data.get(f"{day}_starts")
        }


class TimeOffForm(forms.ModelForm):
    class Meta:
        model = TimeOff
        fields = ["starts_on", "ends_on", "note"]
        widgets = {"starts_on": DATE, "ends_on": DATE}
