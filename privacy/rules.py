"""When a pupil's families allow a use: the one reading of the registry.

A pupil is allowed a ``medium`` (image, voix…) on a ``channel`` (ENT, livre commun, site public…)
for a project when one of their school's requests covers it — the project itself (a notebook, a
blog, a news post), or « la vie de l'école » of the current school year —, is still valid today,
and its guardians' answers suffice under the district's rule: both guardians granted (the
default), or one granted when one suffices (or when the pupil has one guardian). A refusal, or a
withdrawal, by any guardian always wins.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from .models import ConsentRequest, DistrictPolicy, GuardianDecision, GuardiansRequired, Pupil, current_school_year


def guardians_required(district_id) -> str:
    policy = DistrictPolicy.objects.filter(district_id=district_id).first()
    return policy.guardians_required if policy else GuardiansRequired.BOTH


def decisions_suffice(pupil: Pupil, decisions: Iterable[GuardianDecision], rule: str) -> bool:
    """Do these answers (of one request) allow the use for this pupil under the district's rule?"""
    decisions = list(decisions)
    if any(d.is_refused for d in decisions):
        return False
    granted = {d.guardian for d in decisions if d.is_granted}
    needed = 1 if rule == GuardiansRequired.ONE or pupil.guardians == 1 else 2
    return len(granted) >= needed


def project_filter(project) -> Q:
    """The requests that may cover a publication of ``project`` (None: « la vie de l'école » only)."""
    school_life = Q(project=ConsentRequest.Project.SCHOOL_LIFE, school_year=current_school_year())
    if project is None:
        return school_life
    content_type = ContentType.objects.get_for_model(project)
    return school_life | Q(project_content_type=content_type, project_object_id=project.pk)


def allowed_pupils(pupils: Iterable[Pupil], *, medium: str, channel: str, project=None) -> set[int]:
    """The ids of those ``pupils`` whose families allow ``medium`` on ``channel`` for ``project``.

    Three queries whatever the number of pupils: the requests, their answers, the district's rule.
    """
    pupils = list(pupils)
    if not pupils:
        return set()
    today = timezone.localdate()
    requests = list(
        ConsentRequest.objects.filter(
            project_filter(project),
            school_id__in={p.school_id for p in pupils},
            valid_until__gte=today,
            **{ConsentRequest.MEDIUM_FIELDS[medium]: True, ConsentRequest.CHANNEL_FIELDS[channel]: True},
        ).values_list("pk", "school_id", "school__district_id")
    )
    if not requests:
        return set()
    by_pair = defaultdict(list)
    for decision in GuardianDecision.objects.filter(
        request_id__in=[pk for pk, _, _ in requests], pupil_id__in=[p.pk for p in pupils]
    ):
        by_pair[(decision.request_id, decision.pupil_id)].append(decision)
    rules = {district: guardians_required(district) for district in {d for _, _, d in requests}}
    allowed = set()
    for pupil in pupils:
        for request_id, school_id, district in requests:
            if school_id == pupil.school_id and decisions_suffice(
                pupil, by_pair.get((request_id, pupil.pk), ()), rules[district]
            ):
                allowed.add(pupil.pk)
                break
    return allowed
