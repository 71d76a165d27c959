"""Settings: read from ACCORDKG_* variables, validated once."""

import pytest
from pydantic import ValidationError

from accordkg.settings import Settings


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORDKG_PORT", "9001")
    monkeypatch.setenv("ACCORDKG_SERVICE_ALLOWLIST", '["https://query.wikidata.org/"]')
    settings = Settings()
    assert settings.port == 9001
    assert settings.service_allowlist == ("https://query.wikidata.org/",)


@pytest.mark.parametrize(
    "prefix",
    ["http://127.0.0.1:7878/", "http://localhost/", "http://10.1.2.3/", "http://[::1]/",
     "http://169.254.169.254/", "http://db.internal/", "file:///etc/passwd", "https:///"],
)  # fmt: skip
def test_service_allowlist_refuses_local_and_private_hosts(prefix: str) -> None:
    with pytest.raises(ValidationError):
        Settings(service_allowlist=(prefix,))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("base_iri", "https://example.org/id"),
        ("base_iri", "https://example.org/<id>/"),
        ("base_iri", "https://example.org/{id}/"),
        ("dataset_license", "https://example.org/licence|x"),
        ("port", 0),
        ("query_workers", 0),
        ("store", "mongo"),
    ],
)
def test_bad_values_are_refused(field: str, value: object) -> None:
    with pytest.raises(ValidationError):
        Settings.model_validate({field: value})
