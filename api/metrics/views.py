"""GET /v1/metrics/...: fixed aggregates for an organisation's scripts, with a secret key."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.core.errors import ErrorCode, field_problem
from api.core.renderers import JSONRenderer
from api.metrics import serializers as s
from api.metrics.authentication import HasMetricsScope, SecretKeyAuthentication, key_of
from api.metrics.definitions import METRICS, Kind, Metric
from api.metrics.examples import CSV_EXAMPLE, EXAMPLES
from api.metrics.privacy import key_privacy_of, privacy_budget_spend
from api.metrics.renderers import MetricsCsvRenderer
from api.metrics.selectors import MetricsQuery, Noise, metric_entries, rollup_time
from api.metrics.throttling import MetricsKeyRateThrottle

DESCRIPTIONS = {
    "bookings": "Bookings by the month of the conversation, and by region, modality and status if asked.",
    "help-seeking": "Bookings by the help-seeking category the doctor chose (null: none given), and by "
    "month and region if asked.",
    "cancellations": "Cancellations (in time or late) and no-shows, by month, region and modality if asked.",
    "waiting-time": "Median and 90th percentile of whole days from booking to conversation, for "
    "conversations that were not cancelled.",
    "wellbeing": "WHO-5 scores at the baseline and each follow-up offset: the distribution over three "
    "bands (cells), and per offset the mean score and the mean change from the same person's baseline.",
    "followup-response": "The share of closed follow-ups (answered or expired) that were answered.",
}
PROTECTION = (
    "Every figure resting on fewer doctors than the organisation's threshold k is withheld "
    "(`value: null, suppressed: true`), and more are withheld where the published totals would let "
    "one be worked out. A key in differential-privacy mode gets count metrics with calibrated noise "
    "instead, each query spending epsilon from its budget (`403 privacy_budget_exhausted` when spent). "
    "`protection` says which applied; `as_of` when the figures were last rolled up. `Accept: text/csv` "
    "gives the same entries as CSV. Authenticate with a secret key (`Authorization: Bearer sk_...`) "
    "that has the `metrics:read` scope; user tokens are refused. See docs/metrics.md."
)


class MetricView(APIView):
    authentication_classes = [SecretKeyAuthentication]
    permission_classes = [HasMetricsScope]
    throttle_classes = [MetricsKeyRateThrottle]
    renderer_classes = [JSONRenderer, MetricsCsvRenderer]
    problem_codes = (
        ErrorCode.API_KEY_INVALID,
        ErrorCode.PERMISSION_DENIED,
        ErrorCode.PRIVACY_BUDGET_EXHAUSTED,
        ErrorCode.NOT_ACCEPTABLE,
    )
    metric: Metric

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # DRF answers an unknown `?format=` with 404; it is bad input on a path that exists.
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            raise field_problem("format", "invalid_choice", "Choose csv or json.") from None

    def get(self, request: Request) -> Response:
        api_key = key_of(request)
        organisation = api_key.organisation
        query = s.query_serializer_for(self.metric).of(request.query_params)
        metrics_query = MetricsQuery(organisation=organisation, metric=self.metric, **query)
        noise, protection = None, self._suppression(organisation.suppression_threshold)
        if self.metric.kind == Kind.COUNT:
            privacy = key_privacy_of(api_key=api_key)
            if privacy.differential_privacy:
                spent = privacy_budget_spend(api_key=api_key, metric=self.metric.name)
                noise = Noise(
                    epsilon=spent.epsilon, contribution_bound=settings.METRICS_DP_CONTRIBUTION_BOUND
                )
                protection = {
                    "method": "differential_privacy",
                    "threshold": None,
                    "epsilon": spent.epsilon,
                    "contribution_bound": noise.contribution_bound,
                    "budget_remaining": round(spent.remaining, 6),
                }
        as_of = rollup_time(organisation=organisation)
        body = {
            "metric": self.metric.name,
            "start": metrics_query.first.strftime("%Y-%m"),
            "end": metrics_query.last.strftime("%Y-%m"),
            "group_by": list(metrics_query.group_by),
            "as_of": as_of.isoformat().replace("+00:00", "Z") if as_of else None,
            "protection": protection,
            "entries": metric_entries(query=metrics_query, noise=noise),
        }
        response = Response(body)
        response["Cache-Control"] = "private, no-store"
        if as_of is not None:
            # CSV has no room for `as_of`: the standard header carries it for both.
            response["Last-Modified"] = http_date(as_of.timestamp())
        if getattr(request, "accepted_media_type", "") == MetricsCsvRenderer.media_type:
            name = f"kollega-{self.metric.name}-{body['start']}-{body['end']}.csv"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @staticmethod
    def _suppression(threshold: int) -> dict[str, Any]:
        return {
            "method": "suppression",
            "threshold": threshold,
            "epsilon": None,
            "contribution_bound": None,
            "budget_remaining": None,
        }


def _view_for(metric: Metric) -> type[MetricView]:
    operation = metric.name.replace("-", "_")
    schema = extend_schema(
        tags=["metrics"],
        operation_id=f"metrics_{operation}",
        summary=f"Metrics: {metric.name}",
        description=f"{DESCRIPTIONS[metric.name]}\n\n{PROTECTION}",
        parameters=[s.query_serializer_for(metric)],
        responses={
            (200, "application/json"): s.output_serializer_for(metric),
            (200, "text/csv"): OpenApiResponse(
                response=OpenApiTypes.STR,
                description="The same entries as CSV, one line each.",
                examples=[OpenApiExample("CSV", value=CSV_EXAMPLE, media_type="text/csv")],
            ),
        },
        examples=EXAMPLES[metric.name],
    )

    def get(self: MetricView, request: Request) -> Response:
        return MetricView.get(self, request)

    name = "".join(part.title() for part in metric.name.split("-")) + "MetricView"
    return type(
        name, (MetricView,), {"metric": metric, "get": schema(get), "__doc__": DESCRIPTIONS[metric.name]}
    )


METRIC_VIEWS = {name: _view_for(metric) for name, metric in METRICS.items()}
