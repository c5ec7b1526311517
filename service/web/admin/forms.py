"""The dashboard's forms; Flask-WTF adds a CSRF token to each."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from messages.gsm import non_gsm_characters
from messages.placeholders import PLACEHOLDERS
from service.config import SUPPORTED_LANGUAGES
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


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=80)])
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


class VillageForm(FlaskForm):
    name = StringField("Village (desa)", validators=[DataRequired(), Length(max=120)])
    district = StringField("District (kabupaten)", validators=[DataRequired(), Length(max=120)])
    province = StringField("Province (provinsi)", validators=[DataRequired(), Length(max=120)])
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
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    phone = StringField("Phone", validators=[DataRequired(), Length(max=32)])
    village_id = SelectField("Village", coerce=int)
    language = SelectField("Language", choices=LANGUAGES)
    active = BooleanField("Active", default=True)

    def validate_phone(self, field):
        """Store one shape of number (E.164) whatever the officer typed."""
        e164 = try_normalise(field.data)
        if e164 is None:
            raise ValidationError("Not a phone number, e.g. 0812 3456 7890.")
        field.data = e164
