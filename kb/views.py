from django.views.generic import TemplateView

from programs.models import Program, ProgramEvent
from vendors.models import Vendor


class HomeView(TemplateView):
    template_name = "kb/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["vendors"] = Vendor.objects.published().filter(programs__isnull=False).distinct()
        ctx["programs"] = Program.objects.published().with_related()
        ctx["events"] = (
            ProgramEvent.objects.published().select_related("program", "vendor").order_by("-start_date", "pk")[:10]
        )
        return ctx
