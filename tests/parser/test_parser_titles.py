"""The agency from the title in its real-world forms, and from the signature as a fallback."""

from __future__ import annotations

import pytest

from parser import parse
from parser.metadata import agency_from_signature, agency_from_title, is_title


@pytest.mark.parametrize(
    ("title", "agency"),
    [
        ("示范省人民政府关于2021年度政府信息公开工作的年度报告", "示范省人民政府"),
        ("青禾市财政局关于2024年度政府信息公开工作的年度报告", "青禾市财政局"),
        ("白岭市住房和城乡建设局2023年政府信息公开工作年度报告", "白岭市住房和城乡建设局"),
        ("嘉兴市人民政府办公室2024年度政府信息公开工作年度报告", "嘉兴市人民政府办公室"),
        ("青石镇人民政府政府信息公开工作年度报告（2022年度）", "青石镇人民政府"),
        ("青石镇人民政府政府信息公开工作年度报告(2022年度)", "青石镇人民政府"),
        ("2023年度松川区柳荫街道办事处政府信息公开工作年度报告", "松川区柳荫街道办事处"),
        ("2023年白岭市人民政府政府信息公开工作年度报告", "白岭市人民政府"),
        # One 政府 shared by the agency's name and the report's words.
        ("某县人民政府信息公开工作年度报告（2023年度）", "某县人民政府"),
        ("东湖区司法局政务公开工作年度报告", "东湖区司法局"),
        ("关于印发北湖区2023年度政府信息公开工作年度报告的通知", "北湖区"),
        ("《沭阳县发展和改革局2023年政府信息公开年度报告》", "沭阳县发展和改革局"),
        ("清新区2012年政府信息公开工作年度报告", "清新区"),
        # No agency in the title at all.
        ("2023年度政府信息公开工作年度报告", None),
        ("关于2023年度政府信息公开工作的年度报告", None),
        ("政府信息公开年报", None),
    ],
)
def test_agency_from_title(title: str, agency: str | None) -> None:
    assert is_title(title)
    assert agency_from_title(title) == agency


def test_breadcrumbs_and_sentences_are_not_titles() -> None:
    assert not is_title("本报告依据《条例》编制。现公布2023年度政府信息公开工作年度报告。")
    assert is_title("江北区应急管理局关于2023年度政府信息公开工作的年度报告")


@pytest.mark.parametrize(
    ("line", "previous", "signer"),
    [
        ("2024年1月20日", "白岭市住房和城乡建设局", "白岭市住房和城乡建设局"),
        ("白岭市住房和城乡建设局 2024年1月20日", None, "白岭市住房和城乡建设局"),
        ("二〇二四年一月二十日", "云溪县桃源镇人民政府", "云溪县桃源镇人民政府"),
        ("2024年1月20日", "松川区柳荫街道办事处", "松川区柳荫街道办事处"),
        # Not an organ's name: a closing formula, a sentence, a heading.
        ("2024年1月20日", "特此报告", None),
        ("2024年1月20日", "全年未收取信息处理费。", None),
        ("2024年1月20日", "六、其他需要报告的事项", None),
        ("2024年1月20日", None, None),
    ],
)
def test_agency_from_signature(line: str, previous: str | None, signer: str | None) -> None:
    assert agency_from_signature(line, previous) == signer


_BODY = (
    "一、总体情况\n全年主动公开政府信息58条。全年共收到政府信息公开申请4件。\n"
    "五、存在的主要问题及改进情况\n信息更新不够及时。\n"
)


def test_agency_from_the_signature_is_marked_inferred() -> None:
    text = "2023年度政府信息公开工作年度报告\n" + _BODY + "北山县林业局\n2024年1月10日\n"
    report = parse(text.encode(), name="untitled.txt")
    assert report.agency == "北山县林业局"
    assert report.signed_on is not None and report.signed_on.isoformat() == "2024-01-10"
    warning = next(w for w in report.warnings if w.field == "agency")
    assert warning.code == "agency_inferred" and "signature" in warning.message


def test_the_title_wins_and_a_disagreeing_signature_is_warned() -> None:
    text = "北山县林业局2023年政府信息公开工作年度报告\n" + _BODY + "南山县水利局\n2024年1月10日\n"
    report = parse(text.encode(), name="mismatch.txt")
    assert report.agency == "北山县林业局"
    warning = next(w for w in report.warnings if w.field == "agency")
    assert warning.code == "agency_signature_differs"
    assert "北山县林业局" in warning.message and "南山县水利局" in warning.message


def test_a_matching_signature_adds_no_warning() -> None:
    text = (
        "北山县林业局关于2023年度政府信息公开工作的年度报告\n"
        + _BODY
        + "北山县林业局\n2024年1月10日\n"
    )
    report = parse(text.encode(), name="about.txt")
    assert report.agency == "北山县林业局"
    assert report.year == 2023
    assert not [w for w in report.warnings if w.field in ("agency", "year")]


def test_the_about_title_wins_over_a_breadcrumb_naming_the_column() -> None:
    page = (
        "<html><head><title>门户网站</title></head><body>"
        "<div>首页 &gt; 政府信息公开年报</div>"
        "<h1>云溪县人民政府关于2023年度政府信息公开工作的年度报告</h1>"
        + "".join(f"<p>{line}</p>" for line in _BODY.splitlines())
        + "<p>云溪县人民政府</p><p>2024年1月18日</p></body></html>"
    )
    report = parse(page.encode(), name="about.html")
    assert report.title == "云溪县人民政府关于2023年度政府信息公开工作的年度报告"
    assert report.agency == "云溪县人民政府"
    assert not [w for w in report.warnings if w.field in ("agency", "year")]
