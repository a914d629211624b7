import pytest

from newsmon.pipeline import run_cycle
from tests.conftest import make_settings


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory, site):
    """The sample site's warehouse, built once for the dashboard tests."""
    tmp = tmp_path_factory.mktemp("dashboard")
    settings = make_settings(tmp, site)
    run_cycle(settings)
    return settings.db
