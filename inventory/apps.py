from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "inventory"
    verbose_name = _("Mô hình tự quản")

    def ready(self):
        # The report's "models" figures are cached like every figure: a saved count invalidates them.
        from django.db.models.signals import post_delete, post_save

        from criteria_portal.figures import figures_changed

        from .models import ModelCount, ModelType

        def changed(sender, **kwargs):
            figures_changed()

        for model in (ModelCount, ModelType):
            post_save.connect(changed, sender=model, dispatch_uid=f"figures-save-{model._meta.label}", weak=False)
            post_delete.connect(changed, sender=model, dispatch_uid=f"figures-delete-{model._meta.label}", weak=False)
