"""``python -m crawler.demo build OUT [--seed N] [--base-url URL]``,
``python -m crawler.demo edit OUT`` and ``python -m crawler.demo serve OUT [--port P]``."""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from crawler.demo.build import apply_edits, build_site, load, write_registry
from crawler.demo.errors import DemoError
from crawler.demo.server import serve


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m crawler.demo", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="write the demo portal, its manifest and registry")
    build.add_argument("out", type=Path)
    build.add_argument("--seed", type=int, default=0)
    build.add_argument("--base-url", help="URL the portal will be served at (for registry.yaml)")
    edit = sub.add_parser("edit", help="move a built portal to its later state (apply_edits)")
    edit.add_argument("out", type=Path)
    run = sub.add_parser("serve", help="serve a built portal until interrupted")
    run.add_argument("out", type=Path)
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8765)
    run.add_argument("--delay", type=float, default=0.0, help="seconds to wait per request")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            started = time.perf_counter()
            manifest = build_site(args.out, seed=args.seed, base_url=args.base_url)
            took = time.perf_counter() - started
            print(
                f"built {len(manifest.agencies)} agencies, {len(manifest.reports)} reports, "
                f"{len(manifest.problems)} planted problems in {took:.1f} s → {args.out}"
            )
        elif args.command == "edit":
            manifest = apply_edits(args.out, load(args.out))
            print(f"{args.out}: portal moved to state {manifest.state!r}")
        else:
            server = serve(args.out, args.host, args.port, delay=args.delay)
            manifest = write_registry(args.out, load(args.out), server.url)
            print(f"serving {args.out} at {server.url}/ (registry: {args.out / manifest.registry})")
            try:
                threading.Event().wait()
            except KeyboardInterrupt:
                pass
            finally:
                server.stop()
    except (DemoError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
