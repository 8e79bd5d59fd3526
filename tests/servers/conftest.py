import pytest

from .live import Site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A deployment of its own: a fresh PostgreSQL database, migrated, with a
    superuser, the static files collected, a Redis key prefix of its own."""
    site = Site(tmp_path_factory.mktemp("site"))
    try:
        yield site.set_up()
    finally:
        site.tear_down()
