from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "inventory"
    verbose_name = _("Mô hình tự quản")

    def ready(self):
        # The report's "models" figures are read beside the stored facts: a saved count replaces the tokens
        # of the days in which its unit holds a frame place (every path: the services, the admin, imports).
        from django.db.models.signals import post_delete, post_save

        from assessments import facts

        from .models import ModelCount, ModelType

        def count_changed(sender, instance, **kwargs):
            facts.model_counts_changed(unit_ids={instance.unit_id}, year=instance.year)

        def type_changed(sender, **kwargs):
            facts.bump()

        for signal in (post_save, post_delete):
            signal.connect(count_changed, sender=ModelCount, dispatch_uid=f"facts-{signal}-ModelCount", weak=False)
            signal.connect(type_changed, sender=ModelType, dispatch_uid=f"facts-{signal}-ModelType", weak=False)
