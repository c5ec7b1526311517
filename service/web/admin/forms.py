"""The dashboard's forms; Flask-WTF adds a CSRF token to each. Labels are written in English
(marked N_ for the catalog) and shown in the officer's language, WTForms' messages too."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from messages.gsm import non_gsm_characters
from messages.placeholders import PLACEHOLDERS
from service.names import BadName, clean_name, tidy
from service.phones import try_normalise
from service.web.admin.languages import choices as language_choices
from service.web.locale import N_, lookup, lookup_plural
from service.web.locale import gettext as _

# Indonesia's zones: WIB (west), WITA (central), WIT (east).
TIMEZONES = [
    SelectChoice("Asia/Jakarta", "WIB · Asia/Jakarta"),
    SelectChoice("Asia/Pontianak", "WIB · Asia/Pontianak"),
    SelectChoice("Asia/Makassar", "WITA · Asia/Makassar"),
    SelectChoice("Asia/Jayapura", "WIT · Asia/Jayapura"),
]


class CatalogTranslations:
    """WTForms' own messages ("This field is required.") from the dashboard's catalog."""

    def gettext(self, text):
        return lookup(text)

    def ngettext(self, singular, plural, count):
        return lookup_plural(singular, plural, count)


class DashboardForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return CatalogTranslations()


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


class LoginForm(DashboardForm):
    username = StringField(
        N_("Username"), validators=[DataRequired(), Length(max=80)], filters=[tidy_text]
    )
    password = PasswordField(N_("Password"), validators=[DataRequired(), Length(max=200)])


def gsm_only(form, field):
    """A name that goes into SMS texts must travel in GSM-7, or it would double their cost."""
    bad = "".join(char for char, _fix in non_gsm_characters(field.data or ""))
    if bad:
        raise ValidationError(_("Not possible in an SMS: %(chars)s. Use plain letters.", chars=bad))


def local_service(label, key, description):
    """A local service's name as lessons say it; empty means the regional pack's or default."""
    return StringField(
        label,
        validators=[Optional(), Length(max=PLACEHOLDERS[key]), gsm_only],
        description=description,
    )


def _name_field(label, what):
    return StringField(label, validators=[DataRequired(), Name(what)], filters=[tidy_text])


class VillageForm(DashboardForm):
    name = _name_field(N_("Village (desa)"), "village name")
    district = _name_field(N_("District (kabupaten)"), "district")
    province = _name_field(N_("Province (provinsi)"), "province")
    timezone = SelectField(N_("Time zone"), choices=TIMEZONES)
    language = SelectField(N_("Language"), choices=language_choices)
    confirm_draft = BooleanField(N_("Yes, use this draft translation in this village"))
    lessons_per_week = IntegerField(
        N_("Lessons per week"),
        validators=[Optional(), NumberRange(min=1, max=7)],
        description=N_("Leave empty for the track's default."),
    )
    uptd_ppa = local_service(
        N_("UPTD PPA (child protection unit)"),
        "uptd_ppa",
        N_(
            "As lessons name it, e.g. UPTD PPA Kab. Kupang. "
            "Empty: the regional pack's or the default."
        ),
    )
    puskesmas = local_service(
        N_("Puskesmas (health centre)"),
        "puskesmas",
        N_(
            "As lessons name it, e.g. Puskesmas Oelnasi. Empty: the regional pack's or the default."
        ),
    )
    hotline = local_service(
        N_("Child-protection hotline"),
        "hotline",
        N_("As lessons and replies name it. Empty: the regional pack's or SAPA 129."),
    )


class FacilitatorForm(DashboardForm):
    name = _name_field(N_("Name"), "name")
    phone = StringField(
        N_("Phone"), validators=[DataRequired(), Length(max=32)], filters=[tidy_text]
    )
    village_id = SelectField(N_("Village"), coerce=int)
    language = SelectField(N_("Language"), choices=language_choices)
    active = BooleanField(N_("Active"), default=True)

    def validate_phone(self, field):
        """Store one shape of number (E.164) whatever the officer typed."""
        e164 = try_normalise(field.data)
        if e164 is None:
            raise ValidationError(_("Not a phone number, e.g. 0812 3456 7890."))
        field.data = e164
