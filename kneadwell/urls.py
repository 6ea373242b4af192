"""Top-level URLs. Paths carry record numbers only, never names or other health data."""

from django.urls import include, path
from django.views.generic import RedirectView

from kneadwell.analytics import views as analytics_views
from kneadwell.api.api import api
from kneadwell.clients import urls as clients_urls
from kneadwell.plans import urls as plans_urls
from kneadwell.portal.views import staff as portal_staff
from kneadwell.reports import views as reports_views

# A client's own page is their chart, which shows every step of the workflow, so reports
# composes it; it keeps its name in the clients namespace ("clients:detail"). The portal, above
# reports, adds its section (what the client sent in) through reports.views.chart's `extra`.
# The client list shows each client's last visit and safety badge, so reports composes it too
# ("clients:list").
clients_patterns = [
    path("", reports_views.client_list, name="list"),
    *clients_urls.urlpatterns,
    path("<int:pk>/", portal_staff.chart, name="detail"),
]
# The plan page adds the clinic's answer to "how many sessions?", so analytics composes it;
# it keeps its name in the plans namespace ("plans:detail").
plans_patterns = [
    *plans_urls.urlpatterns,
    path("clients/<int:client_pk>/plans/<int:pk>/", analytics_views.plan_detail, name="detail"),
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="clients:list"), name="home"),
    path("", include("kneadwell.accounts.urls")),
    path("clients/", include((clients_patterns, clients_urls.app_name))),
    path("access-log/", include("kneadwell.audit.urls")),
    path("library/", include("kneadwell.knowledge.urls")),
    path("", include("kneadwell.screening.urls")),
    path("", include("kneadwell.measures.urls")),
    path("", include((plans_patterns, plans_urls.app_name))),
    path("", include("kneadwell.appointments.urls")),
    path("", include("kneadwell.visits.urls")),
    path("", include("kneadwell.reports.urls")),
    path("", include("kneadwell.interop.urls")),
    path("", include("kneadwell.analytics.urls")),
    path("", include("kneadwell.portal.staff_urls")),
    path("portal/", include("kneadwell.portal.urls")),
    path("api/v1/", api.urls),
]

handler400 = "kneadwell.core.views.bad_request"
handler403 = "kneadwell.core.views.permission_denied"
handler404 = "kneadwell.portal.views.errors.page_not_found"
handler500 = "kneadwell.core.views.server_error"
