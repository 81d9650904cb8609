"""Form pieces for choosing a municipality, shared by every form that names one."""

from django import forms


class MunicipalityChoiceField(forms.ModelChoiceField):
    """A municipality select whose options tell places of the same name apart (kind and Land)."""

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_kind_display()}, {obj.get_state_display()})"
