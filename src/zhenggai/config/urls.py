from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from zhenggai.config import health

urlpatterns = [
    path("", include("zhenggai.todo.urls")),
    path("", include("zhenggai.ledger.urls")),
    path("accounts/", include("zhenggai.accounts.urls")),
    path("accounts/tokens/", include("zhenggai.api.page_urls")),
    path("api/", include("zhenggai.api.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("imports/", include("zhenggai.imports.urls")),
    path("history/", include("zhenggai.history.urls")),
    path("people/", include("zhenggai.orgs.urls")),
    path("", include("zhenggai.reports.urls")),
    path("reminders/", include("zhenggai.reminders.urls")),
    path("", include("zhenggai.receipts.urls")),
    path("", include("zhenggai.comments.urls")),
    path("oversight/", include("zhenggai.oversight.urls")),
    path("repeats/", include("zhenggai.repeats.urls")),
    path("signals/", include("zhenggai.signals.urls")),
    path("taxonomy/", include("zhenggai.taxonomy.urls")),
    path("webhooks/", include("zhenggai.webhooks.urls")),
    path("admin/", admin.site.urls),
    path("healthz/", health.alive, name="healthz"),
]

handler500 = "zhenggai.config.errors.server_error"
