"""Candidate profiles cached per container, filed so a job finds the few worth scoring.

Inverted index: candidates by same-occupation key (which holds the exact title too), by
the skills that open a specialism to them, by family and pair of specific skills (a
family-only title needs two shared skills), by metro city, state and country, plus sets
for anywhere in Nigeria, open to remote, willing to relocate and no place stated.
`candidates_for(job)` is a superset of every candidate whose score can pass: the score's
must-haves are a title relation and a workable place (see `scoring`), and each maps to
these sets exactly. Its cost follows the sizes of the title sets, not the population.

The sets hold small integer slots, not candidate ids: sorted, they walk the profiles in
the order they sit in memory (random order costs twice as much per profile at 100,000).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from itertools import combinations
from typing import TypeVar

from aremu.matching.job_view import JobView
from aremu.matching.profile import NIGERIA, CandidateId, CandidateProfile
from aremu.matching.scoring import FAMILY_NEEDS_SHARED_SKILLS

Slot = int
Postings = dict[str, set[Slot]]
K = TypeVar("K", bound=Hashable)


class ProfileIndex:
    def __init__(self, profiles: Iterable[CandidateProfile] = ()) -> None:
        self._slots: dict[CandidateId, Slot] = {}
        self._profiles: list[CandidateProfile | None] = []
        self._free: list[Slot] = []
        self._by_key: Postings = {}
        self._by_family_pair: dict[tuple[str, str, str], set[Slot]] = {}
        self._by_metro: Postings = {}
        self._by_state: Postings = {}
        self._by_country: Postings = {}
        self._relocate_by_country: Postings = {}
        self._remote: set[Slot] = set()
        self._anywhere_ng: set[Slot] = set()
        self._relocate: set[Slot] = set()
        self._no_location: set[Slot] = set()
        self.watermark = 0.0
        for profile in profiles:
            self.upsert(profile)

    def __len__(self) -> int:
        return len(self._slots)

    def __contains__(self, candidate_id: object) -> bool:
        return candidate_id in self._slots

    def __iter__(self) -> Iterator[CandidateProfile]:
        return (profile for profile in self._profiles if profile is not None)

    def get(self, candidate_id: CandidateId) -> CandidateProfile | None:
        slot = self._slots.get(candidate_id)
        return None if slot is None else self._profiles[slot]

    def upsert(self, profile: CandidateProfile) -> bool:
        """Files a new or changed profile; an update older than the cached one is ignored.

        A paused or ineligible profile stays cached (so a stale update cannot revive an
        older version) but is filed nowhere, so no job finds it.
        """
        slot = self._slots.get(profile.candidate_id)
        if slot is None:
            slot = self._free.pop() if self._free else len(self._profiles)
            if slot == len(self._profiles):
                self._profiles.append(None)
            self._slots[profile.candidate_id] = slot
        else:
            current = self._profiles[slot]
            if current is not None:
                if current.updated_at > profile.updated_at:
                    return False
                self._file(current, slot, add=False)
        self._profiles[slot] = profile
        self._file(profile, slot, add=True)
        self.watermark = max(self.watermark, profile.updated_at)
        return True

    def remove(self, candidate_id: CandidateId) -> bool:
        """Forgets a candidate (erased, or gone from the table)."""
        slot = self._slots.pop(candidate_id, None)
        if slot is None:
            return False
        profile = self._profiles[slot]
        if profile is not None:
            self._file(profile, slot, add=False)
        self._profiles[slot] = None
        self._free.append(slot)
        return True

    def candidates_for(self, job: JobView) -> set[CandidateId]:
        """Ids of the candidates worth scoring for this job."""
        return {profile.candidate_id for profile in self.profiles_for(job)}

    def profiles_for(self, job: JobView) -> list[CandidateProfile]:
        """The profiles of `candidates_for`, in slot order: the order they sit in memory,
        which makes scoring them about as fast per profile as a scan of all of them."""
        profiles = self._profiles
        return [profile for slot in sorted(self._slots_for(job)) if (profile := profiles[slot])]

    def _slots_for(self, job: JobView) -> set[Slot]:
        titled = self._titled(job)
        if not titled or not job.has_location:
            return titled
        result: set[Slot] = set()
        for place in self._placed(job):
            # `&` walks the smaller set: the cost is the titled candidates, not the city;
            # and each candidate placed once is not looked up again.
            found = titled & place
            if found:
                result |= found
                titled -= found
                if not titled:
                    break
        return result

    def _titled(self, job: JobView) -> set[Slot]:
        """Candidates of the same occupation, open to its specialism by a skill they list, or
        of its family with two specific skills."""
        titled: set[Slot] = set()
        for key in (*job.keys, *job.skill_keys):
            found = self._by_key.get(key)
            if found:
                titled |= found
        if job.families and len(job.specific) >= FAMILY_NEEDS_SHARED_SKILLS:
            pairs = list(combinations(sorted(job.specific), 2))
            for family in job.families:
                for first, second in pairs:
                    found = self._by_family_pair.get((family, first, second))
                    if found:
                        titled |= found
        return titled

    def _placed(self, job: JobView) -> list[set[Slot]]:
        """Sets whose members the job's place can suit (location above 0), biggest first."""
        places = []
        if job.state is not None:
            places.append(self._by_state.get(job.state, set()))
        if job.metro is not None:
            places.append(self._by_metro.get(job.metro, set()))
        if job.remote:
            places.append(self._remote)
        country = job.country
        if country == NIGERIA:
            places += (self._anywhere_ng, self._relocate)
        elif country is not None:
            places.append(self._relocate_by_country.get(country, set()))
        if country is not None and job.state is None and not job.remote:
            places.append(self._by_country.get(country, set()))
        places.append(self._no_location)
        return places

    def _file(self, profile: CandidateProfile, cid: Slot, *, add: bool) -> None:
        if not profile.active:
            return
        for key in (*profile.keys, *profile.skill_keys):
            _post(self._by_key, key, cid, add)
        pairs = list(combinations(sorted(profile.specific), 2))
        for family in profile.families:
            for first, second in pairs:
                _post(self._by_family_pair, (family, first, second), cid, add)
        for metro in profile.metros:
            _post(self._by_metro, metro, cid, add)
        for state in profile.states:
            _post(self._by_state, state, cid, add)
        for country in profile.countries:
            _post(self._by_country, country, cid, add)
            if profile.relocate:
                _post(self._relocate_by_country, country, cid, add)
        for flag, members in (
            (profile.remote_ok, self._remote),
            (profile.anywhere_ng, self._anywhere_ng),
            (profile.relocate, self._relocate),
            (profile.no_location, self._no_location),
        ):
            if flag and add:
                members.add(cid)
            elif flag:
                members.discard(cid)


def _post(postings: dict[K, set[Slot]], key: K, cid: Slot, add: bool) -> None:
    if add:
        postings.setdefault(key, set()).add(cid)
        return
    members = postings.get(key)
    if members is not None:
        members.discard(cid)
        if not members:
            del postings[key]
