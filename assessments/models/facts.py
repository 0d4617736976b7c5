"""Figures maintained on write (DESIGN §6): each frame unit's counted facts per programme and day.

A report of year Y reads a programme's frame as of 31/12/Y and, for a target with an earlier deadline D,
as of D. For each (programme, day) read so far, `FactDay` holds a token and `FrameFact` one row per frame
unit: its holder then, the highest recognition it counts, its holder's assessment counts, its bands, and
what completeness reads (status and dates). Rows are derived data: `assessments.facts` computes them, the
services refresh them in the same transaction as the write that changes them, and `check_figures`
recomputes them independently. Nobody edits them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FactDay(models.Model):
    """One (programme, day) whose facts are stored; `token` changes whenever one of them does.

    Cached reports are keyed by the tokens of the days they read, so a cache entry is forgotten exactly
    when a counted fact it was computed from changes (a draft's autosave changes none).
    """

    programme = models.ForeignKey("assessments.Programme", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    token = models.CharField(max_length=32)
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ngày số liệu")
        verbose_name_plural = _("ngày số liệu")
        constraints = [models.UniqueConstraint(fields=["programme", "day"], name="factday_unique")]

    def __str__(self):
        return f"{self.programme_id} {self.day:%d/%m/%Y}"


class FrameFact(models.Model):
    programme = models.ForeignKey("assessments.Programme", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    unit = models.ForeignKey("communes.Unit", on_delete=models.CASCADE, related_name="+")  # the frame unit
    holder = models.ForeignKey("communes.Unit", on_delete=models.CASCADE, null=True, related_name="+")
    # The highest level counted (the holder's, or the frame unit's own decision made before it ended).
    held_level = models.PositiveSmallIntegerField(null=True)
    holder_level = models.PositiveSmallIntegerField(null=True)  # the holder's own (the current map's band)
    decision_number = models.CharField(max_length=100, blank=True)
    decision_date = models.DateField(null=True)
    # The holder's assessment of the day's year in this programme (the latest one).
    assessment = models.ForeignKey("assessments.Assessment", on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(max_length=16, blank=True)
    self_met = models.PositiveSmallIntegerField(null=True)
    verified_met = models.PositiveSmallIntegerField(null=True)
    # The counts the bands use: verified only, and verified else a submitted or returned self-assessment.
    met_official = models.PositiveSmallIntegerField(null=True)
    met_preliminary = models.PositiveSmallIntegerField(null=True)
    band = models.CharField(max_length=16)
    band_preliminary = models.CharField(max_length=16)
    # Completeness: the dates of the latest submission and verification, and of the last workflow step.
    submitted_on = models.DateField(null=True)
    verified_on = models.DateField(null=True)
    last_step_on = models.DateField(null=True)
    # The first year the frame unit or its holder registered as a pilot of this programme.
    pilot_since = models.PositiveSmallIntegerField(null=True)

    class Meta:
        verbose_name = _("số liệu đơn vị")
        verbose_name_plural = _("số liệu đơn vị")
        constraints = [models.UniqueConstraint(fields=["programme", "day", "unit"], name="framefact_unique")]
        indexes = [models.Index(fields=["day", "holder"], name="framefact_day_holder")]

    def __str__(self):
        return f"{self.programme_id} {self.day:%d/%m/%Y} {self.unit_id}"
