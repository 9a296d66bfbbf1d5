"""The demo portal: a static site of made-up agencies and their annual reports, with
planted problems, and a small HTTP server for it. No Scrapy here (it is a test fixture and
the input of ``gkwatch demo``).

    from crawler.demo import build_site, serve, apply_edits
    manifest = build_site(out_dir, seed=0)
    with serve(out_dir) as server:
        manifest = write_registry(out_dir, manifest, server.url)
        ...
"""

from __future__ import annotations

from crawler.demo.build import apply_edits, build_site, load, registry_entries, write_registry
from crawler.demo.errors import DemoError, ManifestError, NotADemoSite
from crawler.demo.model import DemoAgency, DemoManifest, DemoProblem, DemoReport
from crawler.demo.server import DemoServer, RequestRecord, serve

__all__ = [
    "DemoAgency",
    "DemoError",
    "DemoManifest",
    "DemoProblem",
    "DemoReport",
    "DemoServer",
    "ManifestError",
    "NotADemoSite",
    "RequestRecord",
    "apply_edits",
    "build_site",
    "load",
    "registry_entries",
    "serve",
    "write_registry",
]
