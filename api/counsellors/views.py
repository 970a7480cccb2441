"""Counsellors as doctors find them, regions, and the counsellors a doctor excluded."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.accounts.models import User
from api.core.pagination import NameCursorPagination
from api.counsellors import serializers as s
from api.counsellors.selectors import (
    counsellor_detail,
    counsellor_for_manager,
    counsellor_list,
    counsellors_visible,
    exclusions_of,
    regions_list,
)
from api.counsellors.services import counsellor_update, exclusion_add, exclusion_remove

COUNSELLOR_EXAMPLE = {
    "id": "9d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6",
    "display_name": "Ingrid, GP in Bergen",
    "languages": ["en", "nb"],
    "regions": [{"id": "1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5", "code": "vestland", "name": "Vestland"}],
    "modalities": ["phone", "video"],
    "time_zone": "Europe/Oslo",
}


class CounsellorListView(generics.ListAPIView[Any]):
    serializer_class = s.CounsellorSummaryOutputSerializer
    pagination_class = NameCursorPagination

    def get_queryset(self) -> Any:
        query = s.CounsellorListQuerySerializer.of(self.request.query_params)
        return counsellor_list(viewer=self.request.user, **query)  # type: ignore[arg-type]

    @extend_schema(
        tags=["counsellors"],
        operation_id="counsellors_list",
        summary="Counsellors",
        description="Active counsellors, by name; those you excluded never appear.",
        parameters=[s.CounsellorListQuerySerializer],
        examples=[OpenApiExample("Counsellor", value=COUNSELLOR_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CounsellorDetailView(APIView):
    @extend_schema(
        tags=["counsellors"],
        operation_id="counsellors_retrieve",
        summary="A counsellor",
        responses={200: s.CounsellorOutputSerializer},
        examples=[
            OpenApiExample(
                "Counsellor",
                value={
                    **COUNSELLOR_EXAMPLE,
                    "bio": "Twenty years in general practice; trained peer counsellor.",
                    "in_person_location": "",
                    "organisation_id": "3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d",
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request, counsellor_id: uuid.UUID) -> Response:
        counsellor = counsellor_detail(viewer=request.user, counsellor_id=counsellor_id)  # type: ignore[arg-type]
        return Response(s.CounsellorOutputSerializer(counsellor).data)

    @extend_schema(
        tags=["counsellors"],
        operation_id="counsellors_update",
        summary="Change a counsellor's profile",
        description=(
            "The counsellor themself, or a coordinator of their organisation; anyone else gets 404. "
            "Only the fields sent change; `languages`, `region_ids` and `modalities` replace the lists."
        ),
        request=s.CounsellorUpdateInputSerializer,
        responses={200: s.CounsellorOutputSerializer},
        examples=[
            OpenApiExample(
                "Profile",
                value={"bio": "GP in Bergen; evenings by phone or video.", "languages": ["nb", "en"]},
                request_only=True,
            )
        ],
    )
    def patch(self, request: Request, counsellor_id: uuid.UUID) -> Response:
        counsellor = counsellor_for_manager(user=request.user, counsellor_id=counsellor_id)  # type: ignore[arg-type]
        data = s.CounsellorUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        counsellor_update(counsellor=counsellor, **data.validated_data)
        updated = counsellor_detail(viewer=request.user, counsellor_id=counsellor_id)  # type: ignore[arg-type]
        return Response(s.CounsellorOutputSerializer(updated).data)


class RegionListView(generics.ListAPIView[Any]):
    serializer_class = s.RegionOutputSerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        query = s.RegionListQuerySerializer.of(self.request.query_params)
        return regions_list(organisation_id=query.get("organisation"))

    @extend_schema(
        tags=["counsellors"],
        operation_id="regions_list",
        summary="Regions",
        description="Every organisation's regions (a short list), to filter counsellors and availability.",
        parameters=[s.RegionListQuerySerializer],
        examples=[
            OpenApiExample(
                "Regions",
                value=[
                    {
                        "id": "1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5",
                        "code": "vestland",
                        "name": "Vestland",
                        "organisation_id": "3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d",
                    }
                ],
                response_only=True,
            )
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


EXCLUSION_EXAMPLE = OpenApiExample(
    "Excluded",
    value={
        "counsellor_id": "9d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6",
        "display_name": "Ingrid, GP in Bergen",
        "created_at": "2026-11-22T10:00:00Z",
    },
    response_only=True,
)


class ExclusionListView(generics.ListAPIView[Any]):
    serializer_class = s.ExclusionOutputSerializer

    def get_queryset(self) -> Any:
        return exclusions_of(doctor=self.request.user)  # type: ignore[arg-type]

    @extend_schema(
        tags=["me"],
        operation_id="me_excluded_counsellors_list",
        summary="Counsellors you excluded",
        description=(
            "Counsellors you know (a colleague, a friend); they never appear to you. Nobody else sees this."
        ),
        examples=[EXCLUSION_EXAMPLE],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ExclusionDetailView(APIView):
    @extend_schema(
        tags=["me"],
        operation_id="me_excluded_counsellors_put",
        summary="Exclude a counsellor",
        description="Idempotent. The counsellor is not told.",
        request=None,
        responses={200: s.ExclusionOutputSerializer},
        examples=[EXCLUSION_EXAMPLE],
    )
    def put(self, request: Request, counsellor_id: uuid.UUID) -> Response:
        doctor: User = request.user  # type: ignore[assignment]
        counsellor = counsellors_visible(viewer=doctor).filter(pk=counsellor_id).first()
        if counsellor is None:
            already = exclusions_of(doctor=doctor).filter(counsellor_id=counsellor_id).first()
            if already is None:
                raise Http404
            return Response(s.ExclusionOutputSerializer(already).data)
        return Response(s.ExclusionOutputSerializer(exclusion_add(doctor=doctor, counsellor=counsellor)).data)

    @extend_schema(
        tags=["me"],
        operation_id="me_excluded_counsellors_delete",
        summary="Show an excluded counsellor again",
        responses={204: OpenApiResponse(description="The counsellor is shown again.")},
    )
    def delete(self, request: Request, counsellor_id: uuid.UUID) -> Response:
        if not exclusion_remove(doctor=request.user, counsellor_id=counsellor_id):  # type: ignore[arg-type]
            raise Http404
        return Response(status=status.HTTP_204_NO_CONTENT)
