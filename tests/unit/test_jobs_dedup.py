"""When postings are one job: same site id, or the same title, company and place anywhere."""

from __future__ import annotations

from aremu.jobs.dedup import canonical_id, canonical_key, deduplicate
from aremu.jobs.models import RawJob
from aremu.jobs.normalise import to_raw_job


def job(
    *,
    site: str = "indeed",
    site_id: str = "1",
    title: str = "Sales Executive",
    company: str = "Kola Foods Ltd",
    location: str = "Ikeja, LA, NG",
    description: str = "Sell our drinks.",
) -> RawJob:
    return to_raw_job(
        {
            "id": site_id,
            "site": site,
            "job_url": f"https://{site}.example/{site_id}",
            "title": title,
            "company": company,
            "location": location,
            "description": description,
        }
    )


def test_the_same_site_id_twice_is_one_job() -> None:
    result = deduplicate([job(site_id="1"), job(site_id="1", title="Sales Exec (edited)")])

    assert len(result.jobs) == 1
    assert result.same_site_id == 1


def test_the_same_listing_on_two_sites_is_one_job_listing_both_sources() -> None:
    indeed = job(site="indeed", site_id="in-1", location="Ikeja, LA, NG")
    linkedin = job(
        site="linkedin",
        site_id="li-9",
        title="SALES EXECUTIVE",
        company="Kola Foods Limited",
        location="Ikeja, Lagos State, Nigeria",
    )

    result = deduplicate([indeed, linkedin])

    assert len(result.jobs) == 1
    assert [source.key for source in result.jobs[0].sources] == ["indeed#in-1", "linkedin#li-9"]
    assert result.same_listing == 1


def test_a_repost_titled_with_its_company_is_the_same_job() -> None:
    assert canonical_key(job(title="Video Editor at Kola Foods Ltd")) == canonical_key(
        job(title="Video Editor")
    )


def test_another_seniority_at_the_same_firm_is_another_job() -> None:
    result = deduplicate([job(site_id="1"), job(site_id="2", title="Senior Sales Executive")])

    assert len(result.jobs) == 2


def test_the_same_title_in_another_city_is_another_job() -> None:
    result = deduplicate([job(site_id="1"), job(site_id="2", location="Abuja, FC, NG")])

    assert len(result.jobs) == 2


def test_without_a_company_only_the_same_description_makes_a_duplicate() -> None:
    reposted = [
        job(site_id="1", company="", description="Lead our marketing."),
        job(site_id="2", company="", description="Lead our marketing."),
    ]
    different = job(site_id="3", company="", description="Run campaigns for a bank.")

    result = deduplicate([*reposted, different])

    assert len(result.jobs) == 2
    assert result.duplicates == 1


def test_the_canonical_id_is_stable_and_opaque() -> None:
    key = canonical_key(job())

    assert canonical_id(key) == canonical_id(key)
    assert canonical_id(key).startswith("j")
    assert "kola" not in canonical_id(key)
