from __future__ import annotations

import filecmp
import itertools
import os
import re
from pathlib import Path

import pytest
import yaml
from demo_tables import page_file, read_tables

from crawler.demo import DemoManifest, build_site, load
from crawler.demo.model import PROBLEM_KINDS
from crawler.demo.plan import plan
from crawler.demo.similarity import similarity
from parser import identities, spec


def _files(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), int(p.stat().st_mtime))
        for p in root.rglob("*")
        if p.is_file()
    }


def test_build_is_deterministic_and_seed_dependent(tmp_path: Path, site: Path) -> None:
    again = tmp_path / "again"
    build_site(again, seed=0, base_url="http://127.0.0.1:8765")
    assert _files(again / "site") == _files(site)
    other = tmp_path / "other"
    build_site(other, seed=7)
    assert _files(other / "site") != _files(site)
    assert not (other / "registry.yaml").exists()  # no base URL given: nothing to point at


def test_manifest_round_trips_through_json(built: tuple[Path, DemoManifest]) -> None:
    out, manifest = built
    assert load(out) == manifest
    assert {p.kind for p in manifest.problems} == set(PROBLEM_KINDS)


def test_every_report_file_and_list_page_exists(manifest: DemoManifest, site: Path) -> None:
    assert 12 <= len(manifest.agencies) <= 20
    for report in manifest.reports:
        assert (site / report.path.lstrip("/")).is_file(), report.path
        if report.attachment:
            page = (site / report.path.lstrip("/")).read_bytes()
            assert report.attachment.encode() in page
            assert (site / report.attachment.lstrip("/")).is_file()
    for agency in manifest.agencies:
        for url in agency.list_pages:
            assert page_file(site, url).is_file(), url
        linked = b"".join(page_file(site, u).read_bytes() for u in agency.list_pages)
        for report in manifest.reports:
            if report.agency_id == agency.id:
                assert report.path.encode() in linked, f"{report.path} not on its list"
    for path in manifest.broken_links:
        assert not (site / path.lstrip("/")).exists()


def test_registry_matches_manifest_and_leaves_one_list_to_discover(
    built: tuple[Path, DemoManifest], site: Path
) -> None:
    out, manifest = built
    registry = yaml.safe_load((out / "registry.yaml").read_text(encoding="utf-8"))
    entries = {a["id"]: a for a in registry["agencies"]}
    assert set(entries) == {a.id for a in manifest.agencies}
    for a in manifest.agencies:
        e = entries[a.id]
        assert set(e) == {"id", "name", "level", "region", "parent", "portal", "report_lists",
                          "deadline", "since"}  # fmt: skip
        assert e["level"] in ("province", "city", "county", "township", "department")
        assert e["portal"] == "http://127.0.0.1:8765" + a.portal
    hidden = [a for a in manifest.agencies if not a.report_lists]
    assert len(hidden) == 1
    home = (site / hidden[0].portal.lstrip("/") / "index.html").read_text(encoding="utf-8")
    assert f'href="{hidden[0].list_path}">政府信息公开年报</a>' in home
    assert "xxgknb" in hidden[0].list_path
    assert {a.deadline for a in manifest.agencies if a.level == "township"} >= {"01-31", "02-28"}


def test_pagination_schemes_are_all_present(manifest: DemoManifest, site: Path) -> None:
    schemes = {a.pagination for a in manifest.agencies}
    assert schemes == {"index", "create", "query", "next", "single"}
    create = next(
        a for a in manifest.agencies if a.pagination == "create" and len(a.list_pages) == 3
    )
    first = (site / create.list_pages[0].lstrip("/")).read_text(encoding="utf-8")
    assert 'createPageHTML(3, 0, "index", "html")' in first
    assert "index_1.html" not in first and "下一页" not in first
    query = next(a for a in manifest.agencies if a.pagination == "query")
    assert query.list_pages[1].endswith("list.html?page=2")
    nxt = next(a for a in manifest.agencies if a.pagination == "next" and len(a.list_pages) > 1)
    assert ">下一页</a>" in (site / nxt.list_pages[0].lstrip("/")).read_text(encoding=nxt.encoding)


def test_lists_mix_reports_with_other_entries(manifest: DemoManifest, site: Path) -> None:
    text = (site / manifest.agencies[0].list_pages[0].lstrip("/")).read_text(encoding="utf-8")
    assert "工作要点" in text
    pages = "".join(
        page_file(site, u).read_text(encoding="utf-8") for u in manifest.agencies[0].list_pages
    )
    assert "工作年度报告编制和发布工作的通知" in pages


def _html_reports(manifest: DemoManifest) -> list:
    return [r for r in manifest.reports if r.format == "html" and r.layout == "table"]


def test_html_tables_in_files_equal_the_manifest(manifest: DemoManifest, site: Path) -> None:
    reports = _html_reports(manifest)
    assert len(reports) > 40
    for r in reports:
        read = read_tables(site / r.path.lstrip("/"), r.encoding or "utf-8", r.template)
        assert read["applications"] == r.tables["applications"], r.path
        assert read["appeals"] == r.tables["appeals"], r.path
        assert read["applications"]["new_received"]["total"] == r.figures["new_received"]


def _failing(r) -> set[str]:  # type: ignore[no-untyped-def]
    apps, appeals = r.tables["applications"], r.tables["appeals"]
    found = identities.evaluate_tables(apps, appeals, r.template)
    assert all(i.ok is not None for i in found)
    return {i.rule for i in found if not i.ok}


def test_identities_hold_except_where_planted(manifest: DemoManifest) -> None:
    planted = {(p.agency_id, p.year) for p in manifest.problems_of("identity")}
    for r in manifest.reports:
        expected = {"T3.balance"} if (r.agency_id, r.year) in planted else set()
        assert _failing(r) == expected, (r.agency_id, r.year)


class _Rec:
    def __init__(self, r) -> None:  # type: ignore[no-untyped-def]
        self.applications = r.tables["applications"]
        self.active = r.tables["active"]
        self.template = r.template
        self.year = r.year


def test_cross_year_identities_hold_except_where_planted(manifest: DemoManifest) -> None:
    planted = {(p.agency_id, p.year) for p in manifest.problems_of("carryover")}
    checked = 0
    for a in manifest.agencies:
        mine = sorted((r for r in manifest.reports if r.agency_id == a.id), key=lambda r: r.year)
        for prev, cur in itertools.pairwise(mine):
            if cur.year != prev.year + 1:
                continue
            carry = identities.carry(_Rec(prev), _Rec(cur))  # type: ignore[arg-type]
            ok = all(i.ok for i in carry)
            assert ok == ((a.id, cur.year) not in planted), (a.id, cur.year)
            assert all(i.ok for i in identities.in_force(_Rec(prev), _Rec(cur)))  # type: ignore[arg-type]
            checked += 1
    assert checked > 50


_KEY_FIGURES = (
    lambda r: r.figures["new_received"],
    lambda r: r.figures["total"],
    lambda r: r.figures["review_total"],
    lambda r: r.figures["litigation_direct_total"] + r.figures["litigation_after_review_total"],
    lambda r: r.tables["active"]["licensing"]["decisions"],
    lambda r: r.tables["active"]["punishment"]["decisions"],
)


def _jumps(a: float, b: float) -> bool:
    if abs(b - a) < 20:
        return False
    return a == 0 or b / a >= 3 or b / a <= 1 / 3


def test_no_jump_except_the_planted_one(manifest: DemoManifest) -> None:
    planted = manifest.problems_of("jump")
    assert len(planted) == 1
    found = set()
    for a in manifest.agencies:
        mine = {r.year: r for r in manifest.reports if r.agency_id == a.id}
        for year, cur in mine.items():
            prev = mine.get(year - 1)
            if prev and any(_jumps(f(prev), f(cur)) for f in _KEY_FIGURES):
                found.add((a.id, year))
    assert found == {(planted[0].agency_id, planted[0].year)}
    d = planted[0].detail
    assert d["after"] / d["before"] >= 3 and d["after"] - d["before"] >= 20
    r = manifest.report(planted[0].agency_id, planted[0].year)
    assert r.figures["new_received"] == d["after"]


def test_deadlines_met_except_the_late_report(manifest: DemoManifest, site: Path) -> None:
    late = {(p.agency_id, p.year) for p in manifest.problems_of("late")}
    assert len(late) == 1
    for r in manifest.reports:
        assert r.signed_on <= r.published_on
        assert (r.published_on > r.deadline) == ((r.agency_id, r.year) in late), r.path
        assert r.published_on < manifest.today
        if r.list_date is not None:
            assert r.list_date == r.published_on
    ((agency_id, year),) = late
    r = manifest.report(agency_id, year)
    page = (site / r.path.lstrip("/")).read_bytes().decode(r.encoding or "utf-8")
    y, m, d = r.published_on.split("-")
    assert r.published_on in page or f"{y}年{m}月{d}日" in page


def test_prose_figures_match_tables_except_the_planted_mismatch(manifest: DemoManifest) -> None:
    (p,) = manifest.problems_of("prose_mismatch")
    for r in manifest.reports:
        stated = r.prose["applications_received"]
        if (r.agency_id, r.year) == (p.agency_id, p.year):
            assert stated == p.detail["prose"] != r.figures["new_received"] == p.detail["table"]
        else:
            assert stated == r.figures["new_received"], (r.agency_id, r.year)
        assert r.prose["review_total"] == r.figures["review_total"]
        assert r.prose["litigation_total"] == (
            r.figures["litigation_direct_total"] + r.figures["litigation_after_review_total"]
        )


def test_prose_figures_are_written_in_the_pages(manifest: DemoManifest, site: Path) -> None:
    for r in manifest.reports:
        if r.format != "html":
            continue
        text = (site / r.path.lstrip("/")).read_bytes().decode(r.encoding or "utf-8")
        assert f"收到政府信息公开申请{r.prose['applications_received']}件" in text, r.path
        assert f"行政复议{r.prose['review_total']}件" in text
        assert f"行政诉讼{r.prose['litigation_total']}件" in text
        assert f"主动公开政府信息{r.prose['active_items']}条" in text


def test_missing_year_has_no_page_and_no_list_entry(manifest: DemoManifest, site: Path) -> None:
    (p,) = manifest.problems_of("missing")
    with pytest.raises(KeyError):
        manifest.report(p.agency_id, p.year)
    agency = manifest.agency(p.agency_id)
    lists = "".join(
        page_file(site, u).read_text(encoding=agency.encoding) for u in agency.list_pages
    )
    assert f"{p.year}年" not in re.sub(r"<span>.*?</span>", "", lists).replace(
        f"关于做好{p.year}年度", ""
    )
    assert (p.agency_id, p.year - 1) in {(r.agency_id, r.year) for r in manifest.reports}


def test_narratives_are_apart_except_the_copy() -> None:
    planned, problems = plan(0, "initial")
    (copied,) = [p for p in problems if p.kind == "copied"]
    pair = {(copied.agency_id, copied.year), (copied.detail["other_agency_id"], copied.year)}
    texts = {(p.spec.id, p.year): "".join(p.content.narrative.paragraphs) for p in planned}
    high = []
    for (ka, ta), (kb, tb) in itertools.combinations(texts.items(), 2):
        if similarity(ta, tb) >= 0.9:
            high.append({ka, kb})
    assert high == [pair]
    a, b = (texts[k] for k in sorted(pair))
    raw = lambda s: {s[i : i + 5] for i in range(len(s) - 4)}  # noqa: E731 - no normalising
    assert len(raw(a) & raw(b)) / len(raw(a) | raw(b)) >= 0.9


def test_paragraphs_reach_the_html_files(manifest: DemoManifest, site: Path) -> None:
    planned, _ = plan(0, "initial")
    for p in planned:
        r = manifest.report(p.spec.id, p.year)
        if r.format == "html" and r.layout != "pre":
            text = (site / r.path.lstrip("/")).read_bytes().decode(r.encoding or "utf-8")
            for para in p.content.narrative.paragraphs:
                assert para.replace("“", "&quot;") in text or para in text, r.path


def test_formats_and_templates_cover_the_brief(manifest: DemoManifest) -> None:
    kinds = {(r.format, r.layout) for r in manifest.reports}
    assert kinds == {("html", "table"), ("html", "pre"), ("html", "paragraphs"),
                     ("pdf", "table"), ("docx", "table")}  # fmt: skip
    assert {r.template for r in manifest.reports} == {"2019", "2021"}
    assert {r.encoding for r in manifest.reports} == {"utf-8", "gbk"}
    assert manifest.clean_agencies and len(manifest.clean_agencies) >= 4


def test_gbk_pages_declare_no_charset(built: tuple[Path, DemoManifest], site: Path) -> None:
    import json

    out, manifest = built
    types = json.loads((out / "content-types.json").read_text(encoding="utf-8"))
    gbk = [r for r in manifest.reports if r.encoding == "gbk" and r.declared_charset is None]
    assert len(gbk) >= 10
    for r in gbk:
        data = (site / r.path.lstrip("/")).read_bytes()
        assert b"charset" not in data.lower()
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        assert r.title in data.decode("gbk")
        assert types[r.path] == "text/html"


def test_one_page_declares_the_wrong_charset(manifest: DemoManifest, site: Path) -> None:
    (wrong,) = [r for r in manifest.reports if r.declared_charset not in (None, r.encoding)]
    data = (site / wrong.path.lstrip("/")).read_bytes()
    assert b'charset="utf-8"' in data or b"charset=utf-8" in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert wrong.title in data.decode("gbk")


def test_flattened_text_reports_keep_bar_rows(manifest: DemoManifest, site: Path) -> None:
    pre = [r for r in manifest.reports if r.layout == "pre"]
    assert pre
    for r in pre:
        text = (site / r.path.lstrip("/")).read_bytes().decode(r.encoding or "utf-8")
        assert "<pre>" in text and "<table" not in text
        total = r.tables["applications"]["new_received"]["total"]
        assert re.search(rf"一、本年新收政府信息公开申请数量 \|\|\| .* \| {total} \|", text)


def test_robots_disallows_the_trap(manifest: DemoManifest, site: Path) -> None:
    robots = (site / "robots.txt").read_text()
    assert "Disallow: /trap/" in robots
    for path in manifest.trap_paths:
        assert path.startswith("/trap/") and (site / path.lstrip("/")).is_file()
    home = (site / "sfs/index.html").read_text(encoding="utf-8")
    assert 'href="/trap/index.html"' in home


def test_pdf_attachment_text_and_table_cells_extract(manifest: DemoManifest, site: Path) -> None:
    import pdfplumber

    r = next(r for r in manifest.reports if r.format == "pdf")
    assert r.attachment is not None
    with pdfplumber.open(site / r.attachment.lstrip("/")) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
        rows = [row for page in pdf.pages for t in page.extract_tables() for row in t]
    assert r.title in text.replace("\n", "")
    assert f"收到政府信息公开申请{r.prose['applications_received']}件" in text.replace("\n", "")
    new = next(
        row for row in rows if row[0] and row[0].replace("\n", "").startswith("一、本年新收")
    )
    cells = [c for c in new if c is not None][-7:]
    assert [int(c) for c in cells] == [
        r.tables["applications"]["new_received"][c] for c in spec.APPLICATION_COLUMNS
    ]


def test_docx_attachment_has_merged_cells(manifest: DemoManifest, site: Path) -> None:
    import docx

    r = next(r for r in manifest.reports if r.format == "docx")
    assert r.attachment is not None
    document = docx.Document(str(site / r.attachment.lstrip("/")))
    assert len(document.tables) == 3
    t3 = document.tables[1]
    assert t3.cell(0, 0)._tc is t3.cell(2, 2)._tc  # the 3×3 勾稽 header is one merged cell
    row = [c.text for c in t3.rows[3].cells]
    assert row[0] == "一、本年新收政府信息公开申请数量"
    assert int(row[-1]) == r.figures["new_received"]
    assert any(r.title in p.text for p in document.paragraphs)


def test_build_is_fast(tmp_path: Path) -> None:
    import time

    started = time.process_time()
    build_site(tmp_path, seed=3)
    assert time.process_time() - started < 5.0


def test_mtimes_are_publication_times(manifest: DemoManifest, site: Path) -> None:
    import datetime as dt

    r = manifest.reports[0]
    stamp = os.stat(site / r.path.lstrip("/")).st_mtime
    day = dt.datetime.fromtimestamp(stamp, dt.timezone(dt.timedelta(hours=8))).date()
    assert day.isoformat() == r.published_on
    assert filecmp.cmp(site / "robots.txt", site / "robots.txt")
