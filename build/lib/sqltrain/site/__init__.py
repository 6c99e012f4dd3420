"""The review site (``sqltrain docs``): the dbt docs plus a page per training set and per snapshot.

    >>> from sqltrain.project import Project
    >>> from sqltrain.site import build_site
    >>> build_site(Project.open("."), out_dir=Path("site"), snapshots_dir=Path("snapshots"))  # doctest: +SKIP
    PosixPath('.../site/index.html')

Static files only (HTML, one stylesheet, inline SVG charts): the site opens from any static
server, an artifact store or the local disk, and needs no network.
"""

from .build import build_site
from .serve import make_server

__all__ = ["build_site", "make_server"]
