from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .models import (
    MIN_RATER_THRESHOLD,
    TEXT_MAX_LENGTH,
    AlignmentMeeting,
    IntakeSettings,
    Question,
    Questionnaire,
    RaterGroup,
    Stakeholder,
)


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["kind", "title_en", "title_id"]


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "type",
            "text_en",
            "text_id",
            "required",
            "choices_en",
            "choices_id",
            "scale_min",
            "scale_max",
            "anchor_low_en",
            "anchor_low_id",
            "anchor_high_en",
            "anchor_high_id",
        ]
        widgets = {
            "choices_en": forms.Textarea(attrs={"rows": 3}),
            "choices_id": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        low, high = data.get("scale_min"), data.get("scale_max")
        if low is not None and high is not None and not (1 <= low < high <= 10):
            self.add_error(
                "scale_max", _("A scale goes from a lower to a higher number, at most 10.")
            )
        return data


class IntakeSettingsForm(forms.ModelForm):
    class Meta:
        model = IntakeSettings
        fields = ["rater_threshold", "feedback_hidden_from_coach"]

    def clean_rater_threshold(self):
        value = self.cleaned_data["rater_threshold"]
        if value < MIN_RATER_THRESHOLD:
            raise forms.ValidationError(
                _("A rater group is shown from %(n)s answers at the least."),
                params={"n": MIN_RATER_THRESHOLD},
            )
        return value


class StakeholderForm(forms.ModelForm):
    class Meta:
        model = Stakeholder
        fields = ["role", "name", "email"]


class RaterInviteForm(forms.Form):
    group = forms.ChoiceField(label=_("Group"), choices=RaterGroup.choices)
    email = forms.EmailField(label=_("Email"), max_length=254)
    language = forms.ChoiceField(label=_("Their language"), choices=settings.LANGUAGES)


class ShareForm(forms.Form):
    share = forms.BooleanField(required=False)


class AnswerForm(forms.Form):
    """One field per question, labelled in the reader's language."""

    def __init__(self, *args, questions, language, **kwargs):
        super().__init__(*args, **kwargs)
        T = Question.Type
        for q in questions:
            label = q.text(language)
            common = {"label": label, "required": q.required}
            if q.type == T.TEXT:
                field = forms.CharField(max_length=500, **common)
            elif q.type == T.LONG_TEXT:
                field = forms.CharField(
                    max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}), **common
                )
            elif q.type == T.SCALE:
                low, high = q.anchors(language)
                choices = [(str(n), str(n)) for n in range(q.scale_min, q.scale_max + 1)]
                field = forms.TypedChoiceField(
                    choices=choices,
                    coerce=int,
                    widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
                    help_text=f"{q.scale_min} = {low} · {q.scale_max} = {high}"
                    if (low or high)
                    else "",
                    **common,
                )
            elif q.type == T.SINGLE:
                field = forms.ChoiceField(
                    choices=q.choices(language), widget=forms.RadioSelect, **common
                )
            elif q.type == T.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=q.choices(language), widget=forms.CheckboxSelectMultiple, **common
                )
            else:
                field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
            self.fields[q.key] = field


class AlignmentMeetingForm(forms.ModelForm):
    """The stakeholder dropdown lists the program's own stakeholders only."""

    class Meta:
        model = AlignmentMeeting
        fields = ["stage", "held_on", "with_sponsor", "stakeholder", "agreed_goals"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "agreed_goals": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = Stakeholder.objects.filter(program=program)
        self.fields["agreed_goals"].max_length = TEXT_MAX_LENGTH
        self.fields["agreed_goals"].validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))
        if not program.sponsor_id:
            del self.fields["with_sponsor"]
