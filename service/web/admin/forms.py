"""The dashboard's forms; Flask-WTF adds a CSRF token to each."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from messages.gsm import non_gsm_characters
from messages.placeholders import PLACEHOLDERS
from service.config import SUPPORTED_LANGUAGES
from service.names import BadName, clean_name, tidy
from service.phones import try_normalise

# Indonesia's zones: WIB (west), WITA (central), WIT (east).
TIMEZONES = [
    SelectChoice("Asia/Jakarta", "WIB · Asia/Jakarta"),
    SelectChoice("Asia/Pontianak", "WIB · Asia/Pontianak"),
    SelectChoice("Asia/Makassar", "WITA · Asia/Makassar"),
    SelectChoice("Asia/Jayapura", "WIT · Asia/Jayapura"),
]
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
LANGUAGES = [SelectChoice(code, LANGUAGE_NAMES.get(code, code)) for code in SUPPORTED_LANGUAGES]


def tidy_text(value):
    """A filter for typed text: no control characters (PostgreSQL refuses NUL), no outer spaces."""
    return tidy(value) if isinstance(value, str) else value


class Name:
    """A validator: the name tidied, or a plain reason why it cannot be one."""

    def __init__(self, what):
        self.what = what

    def __call__(self, form, field):
        try:
            field.data = clean_name(field.data, self.what)
        except BadName as error:
            raise ValidationError(str(error).capitalize() + ".") from error


class LoginForm(FlaskForm):
    username = StringField(
        "Username", validators=[DataRequired(), Length(max=80)], filters=[tidy_text]
    )
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


def gsm_only(form, field):
    """A name that goes into SMS texts must travel in GSM-7, or it would double their cost."""
    bad = "".join(char for char, _ in non_gsm_characters(field.data or ""))
    if bad:
        raise ValidationError(f"Not possible in an SMS: {bad}. Use plain letters.")


def local_service(label, key, description):
    """A local service's name as lessons say it; empty means the regional pack's or default."""
    return StringField(
        label,
        validators=[Optional(), Length(max=PLACEHOLDERS[key]), gsm_only],
        description=description,
    )


def _name_field(label, what):
    return StringField(label, validators=[DataRequired(), Name(what)], filters=[tidy_text])


class VillageForm(FlaskForm):
    name = _name_field("Village (desa)", "village name")
    district = _name_field("District (kabupaten)", "district")
    province = _name_field("Province (provinsi)", "province")
    timezone = SelectField("Time zone", choices=TIMEZONES)
    language = SelectField("Language", choices=LANGUAGES)
    lessons_per_week = IntegerField(
        "Lessons per week",
        validators=[Optional(), NumberRange(min=1, max=7)],
        description="Leave empty for the track's default.",
    )
    uptd_ppa = local_service(
        "UPTD PPA (child protection unit)",
        "uptd_ppa",
        "As lessons name it, e.g. UPTD PPA Kab. Kupang. Empty: the regional pack's or the default.",
    )
    puskesmas = local_service(
        "Puskesmas (health centre)",
        "puskesmas",
        "As lessons name it, e.g. Puskesmas Oelnasi. Empty: the regional pack's or the default.",
    )
    hotline = local_service(
        "Child-protection hotline",
        "hotline",
        "As lessons and replies name it. Empty: the regional pack's or SAPA 129.",
    )


class FacilitatorForm(FlaskForm):
    name = _name_field("Name", "name")
    phone = StringField("Phone", validators=[DataRequired(), Length(max=32)], filters=[tidy_text])
    village_id = SelectField("Village", coerce=int)
    language = SelectField("Language", choices=LANGUAGES)
    active = BooleanField("Active", default=True)

    def validate_phone(self, field):
        """Store one shape of number (E.164) whatever the officer typed."""
        e164 = try_normalise(field.data)
        if e164 is None:
            raise ValidationError("Not a phone number, e.g. 0812 3456 7890.")
        field.data = e164
