"""Issue 17, item 16: narrative in Welsh or Gaelic is said not to be assessed, not passed
as "ready"; English lists of figures are still English."""

from __future__ import annotations

from narrative_qa.api import check_draft
from narrative_qa.language.english import other_language

# Written for this test (not from any corpus): the same sentence in each language.
WELSH = ("Mae perfformiad wedi gostwng i 51% oherwydd bod tair swydd wag yn y tîm yn ystod y "
         "chwarter. Byddwn yn recriwtio dau weithiwr cymdeithasol newydd erbyn mis Mawrth a "
         "disgwylir i hyn wella amseroldeb yr adroddiadau.")
GAELIC = ("Tha coileanadh air tuiteam gu 51% air sgàth 's gu robh trì dreuchdan falamh anns "
          "an sgioba rè na ràithe. Fastaidhidh sinn dà neach-obrach sòisealta ùr ron Mhàrt "
          "agus thathar an dùil gun leasaich seo àm nan aithisgean.")
ENGLISH = ("Performance fell to 51% because three posts in the team were vacant during the "
           "quarter. We will recruit two new social workers by March, which is expected to "
           "improve the timeliness of reports.")
FIGURES = ("April Case Audits within timescale: 41 Total Audits Due: 47 Met: 87% May Case "
           "Audits within timescale: 38 Total Audits Due: 50 Met: 76% June Case Audits "
           "within timescale: 45 Total Audits Due: 49 Met: 92%")


def test_welsh_and_gaelic_are_named_and_english_is_not():
    assert other_language(WELSH) == "Welsh"
    assert other_language(GAELIC) == "Gaelic"
    assert other_language(ENGLISH) is None
    assert other_language(FIGURES) is None
    assert other_language("Mae perfformiad wedi gostwng.") is None  # too short to tell


def test_a_welsh_draft_is_not_assessed_and_says_so(settings):
    assessment = check_draft(WELSH, settings, target="60", actual="51", stated_rag="green")
    assert assessment.verdict == "error" and not assessment.findings
    [problem] = [p for p in assessment.submission.problems if p.code == "NQE033"]
    assert "Welsh" in problem.message and "not assessed" in problem.message
