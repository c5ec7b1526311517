"""The dashboard's forms; Flask-WTF adds a CSRF token to each. Labels are written in English
(marked N_ for the catalog) and shown in the officer's language, WTForms' messages too."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

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


class LoginForm(DashboardForm):
    username = StringField(N_("Username"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(N_("Password"), validators=[DataRequired(), Length(max=200)])


class VillageForm(DashboardForm):
    name = StringField(N_("Village (desa)"), validators=[DataRequired(), Length(max=120)])
    district = StringField(N_("District (kabupaten)"), validators=[DataRequired(), Length(max=120)])
    province = StringField(N_("Province (provinsi)"), validators=[DataRequired(), Length(max=120)])
    timezone = SelectField(N_("Time zone"), choices=TIMEZONES)
    language = SelectField(N_("Language"), choices=language_choices)
    confirm_draft = BooleanField(N_("Yes, use this draft translation in this village"))
    lessons_per_week = IntegerField(
        N_("Lessons per week"),
        validators=[Optional(), NumberRange(min=1, max=7)],
        description=N_("Leave empty for the track's default."),
    )


class FacilitatorForm(DashboardForm):
    name = StringField(N_("Name"), validators=[DataRequired(), Length(max=120)])
    phone = StringField(N_("Phone"), validators=[DataRequired(), Length(max=32)])
    village_id = SelectField(N_("Village"), coerce=int)
    language = SelectField(N_("Language"), choices=language_choices)
    active = BooleanField(N_("Active"), default=True)

    def validate_phone(self, field):
        """Store one shape of number (E.164) whatever the officer typed."""
        e164 = try_normalise(field.data)
        if e164 is None:
            raise ValidationError(_("Not a phone number, e.g. 0812 3456 7890."))
        field.data = e164
