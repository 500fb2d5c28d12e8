from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination as DRFPageNumberPagination

POSITIVE = "A whole number of 1 or more."


class PageNumberPagination(DRFPageNumberPagination):
    """count/next/previous/results, `?page=` and `?page_size=` (whole numbers of 1 or more; above 100 counts as 100).
    Anything else (`page_size=null`, `page=abc`, `page_size=0`) is a 400 naming the parameter, as the schema says,
    not silently the default."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    @staticmethod
    def _positive(request, name: str) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise ValidationError({name: [POSITIVE]})
        return int(raw)

    def get_page_size(self, request) -> int:
        size = self._positive(request, self.page_size_query_param)
        return self.page_size if size is None else min(size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        self._positive(request, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"] = {"type": "integer", "minimum": 1}
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = "Results per page, 1 or more (above 100 counts as 100; default 20)."
        return parameters
