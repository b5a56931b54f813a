"""Send a rendered issue exactly once through a provider.

The provider is the source of truth: every run first asks it whether the
issue's campaign exists and in which state, and continues from there. After a
crash or an ambiguous failure at any step a rerun neither creates a second
campaign nor starts one twice. The issue record in the repo is only a cache.

This is the one retry layer: providers make one request per call and raise what failed;
each logical operation here (find or create, bring up to date, start, test, read back) is
tried at most ``policy.attempts`` times within the send's time budget, waiting as a 429's
Retry-After says. A provider in trouble gets a bounded number of requests, never retries of
retries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TypeGuard, TypeVar

from plugins.programme.slugs import SLUG_PATTERN

from .providers.clock import Clock
from .providers.protocol import Campaign, DeadlineExceeded, Provider, ProviderError, TransientError
from .providers.retry import DEFAULT_POLICY, RetryPolicy, retrying
from .record import EVENT_PREFIX, RecordedIssue, append_issue, load_record, split_carried
from .rendered_issue import RenderedIssue

Failpoint = Callable[[str], None]
T = TypeVar("T")


@dataclass
class SendReport:
    """How a send ended, in words for the person who started it."""

    ok: bool
    state: str  # tested, started, already-sent, unclear, stopped, failed
    message: str
    campaign: Campaign | None = None


def _name(issue: RenderedIssue) -> str:
    """How messages name an issue's edition: "Ausgabe 3", "Ausgabe 3 (en)"."""
    return f"Ausgabe {issue.number}" + (f" ({issue.edition})" if issue.edition else "")


# What reading an answer of an unexpected form raises (a list for an object, no "data", an id
# missing, nesting too deep): the provider's answer, never this run's state.
_UNEXPECTED = (KeyError, TypeError, AttributeError, IndexError, ValueError, RecursionError)


def _answered(action: Callable[[], T]) -> Callable[[], T]:
    def run() -> T:
        try:
            return action()
        except _UNEXPECTED as error:
            # May have been applied (a start answered oddly): looked up again, never repeated blindly.
            raise TransientError(f"Antwort des Versanddienstes hat eine unerwartete Form "
                                 f"({type(error).__name__})", True) from None
    return run


def _again(action: Callable[[], T], clock: Clock, policy: RetryPolicy, safe: bool = True) -> T:
    """``action`` under the one retry layer; ``safe``: may be repeated after an ambiguous failure
    (it looks the state up first, or cannot do harm twice)."""
    return retrying(_answered(action), clock, may_retry=lambda error: safe or not error.ambiguous,
                    policy=policy)


def _find_or_create(provider: Provider, issue: RenderedIssue, clock: Clock,
                    failpoint: Failpoint, policy: RetryPolicy = DEFAULT_POLICY) -> Campaign:
    """Look up by key first; create only when the provider has no campaign for the issue."""

    def attempt() -> Campaign:
        found = provider.find(issue.key)
        if found is not None:
            return found
        failpoint("before-create")
        created = provider.create(issue)
        failpoint("after-create")
        return created

    # After any failure it may exist now: each attempt looks it up again before creating.
    return _again(attempt, clock, policy)


def _start_once(provider: Provider, campaign: Campaign, issue: RenderedIssue, clock: Clock,
                failpoint: Failpoint, policy: RetryPolicy = DEFAULT_POLICY) -> Campaign:
    def attempt() -> Campaign:
        current = provider.get(campaign.id)
        if current.started:
            return current
        failpoint("before-start")
        provider.start(current, issue)
        failpoint("after-start")
        return provider.get(campaign.id)

    return _again(attempt, clock, policy)


def _recordable(carried: list[str] | None) -> TypeGuard[list[str]]:
    """Whether what a provider says a campaign carried can go into issues.yml as it is: the
    slugs of posts and events, each once (a provider's odd answer would otherwise break the
    record, and with it every later send and build)."""
    if not carried:
        return False
    slugs = [slug.removeprefix(EVENT_PREFIX) for slug in carried]
    return len(set(carried)) == len(carried) and all(SLUG_PATTERN.fullmatch(slug) for slug in slugs)


def _record(record_path: Path, issue: RenderedIssue, provider: Provider, campaign: Campaign,
            timezone: str, clock: Clock, policy: RetryPolicy,
            campaigns: dict[str, str] | None = None) -> None:
    issues = load_record(record_path, timezone)
    if any(item.number == issue.number for item in issues):
        return
    # What the provider stored with the campaign wins: after a failed push of the record, a
    # rerun renders issue N again, possibly with newer posts that N never carried.
    stored: list[str] | None = _again(lambda: provider.carried_posts(campaign), clock, policy)
    posts, events = split_carried(stored if _recordable(stored) else issue.posts)
    append_issue(record_path, RecordedIssue(issue.number, datetime.fromisoformat(issue.date),
                                            issue.subject, issue.preheader, posts,
                                            campaigns=campaigns or {provider.name: str(campaign.id)},
                                            events=events))


def _sync_topics(provider: Provider, edition: str, clock: Clock, policy: RetryPolicy) -> int:
    """Bring every subscriber's topics attribute in step with the topic lists they are on, so
    the campaign's conditions show each person their parts: one read, then one change per
    subscriber whose lists changed (each a logical operation of its own; safe to repeat).
    Returns how many were changed."""
    if not getattr(provider, "topic_lists", None):
        return 0
    changes = _again(partial(provider.topic_changes, edition), clock, policy)  # type: ignore[attr-defined]
    for change in changes:
        _again(partial(provider.set_topics, change), clock, policy)  # type: ignore[attr-defined]
    return len(changes)


def _halted(issue: RenderedIssue, campaign: Campaign) -> SendReport | None:
    """A campaign a person must look at first; None when the send may go on."""
    if campaign.unclear:
        return SendReport(False, "unclear", (
            f"{_name(issue)}: Der Versand wurde begonnen, aber nicht bestätigt. "
            "Prüfen Sie im Archiv der Mailingliste, ob sie angekommen ist; nur wenn nicht, "
            f"erneut mit {'--force=' + issue.edition if issue.edition else '--force'} senden."), campaign)
    if campaign.stopped:
        return SendReport(False, "stopped", (
            f"{_name(issue)}: Die Kampagne {campaign.id} ist beim Anbieter angehalten "
            f"(Status „{campaign.status}“) und gilt nicht als verschickt. Dort fortsetzen oder "
            "löschen und erneut senden; im Ausgabenverzeichnis wurde nichts vermerkt."), campaign)
    return None


def _test(provider: Provider, campaign: Campaign, issue: RenderedIssue, recipients: list[str],
          failpoint: Failpoint, clock: Clock, policy: RetryPolicy,
          shown: RenderedIssue | None = None) -> SendReport:
    """A test of the issue, or of ``shown`` (one topic's email); the campaign keeps the whole
    issue either way."""
    if campaign.started:
        return SendReport(False, "already-sent", f"{_name(issue)} ist bereits verschickt "
                          f"(Status „{campaign.status}“); kein Test mehr möglich.", campaign)
    _sync_topics(provider, issue.edition, clock, policy)
    tested = shown or issue
    _again(lambda: provider.update(campaign, tested), clock, policy)
    failpoint("before-test")
    # A test that may have gone out is not sent twice.
    _again(lambda: provider.send_test(campaign, tested, recipients), clock, policy, safe=False)
    if shown is not None:  # the draft at the provider is the whole issue again
        _again(lambda: provider.update(campaign, issue), clock, policy)
    return SendReport(True, "tested", f"Test von {_name(issue)} an {', '.join(recipients)} "
                      "verschickt.", campaign)


def send_issue(issue: RenderedIssue, provider: Provider, *, test: bool, recipients: list[str],
               record_path: Path | None, clock: Clock, timezone: str = "Europe/Berlin",
               failpoint: Failpoint = lambda _step: None,
               policy: RetryPolicy = DEFAULT_POLICY, segment: str = "") -> SendReport:
    """Create (once), test or start (once) the issue's campaign, then record a real send
    (``record_path`` None: the caller records, see ``send_editions``)."""
    try:
        campaign = _find_or_create(provider, issue, clock, failpoint, policy)
        halted = _halted(issue, campaign)
        if halted or test:
            return halted or _test(provider, campaign, issue, recipients, failpoint, clock, policy,
                                   issue.segment(segment) if segment else None)
        if campaign.started:
            state, text = "already-sent", f"{_name(issue)} war bereits gestartet " \
                f"(Status „{campaign.status}“) – nichts erneut gesendet."
        else:
            _sync_topics(provider, issue.edition, clock, policy)
            failpoint("after-topics")
            _again(lambda: provider.update(campaign, issue), clock, policy)
            failpoint("before-start-lookup")
            campaign = _start_once(provider, campaign, issue, clock, failpoint, policy)
            halted = _halted(issue, campaign)
            if halted:
                return halted
            state, text = "started", f"{_name(issue)} gestartet (Status „{campaign.status}“)."
        if record_path is None:
            return SendReport(True, state, text, campaign)
        failpoint("before-record")
        _record(record_path, issue, provider, campaign, timezone, clock, policy)
        return SendReport(True, state, text + f" Im Ausgabenverzeichnis {record_path} vermerkt.", campaign)
    except ProviderError as error:
        return SendReport(False, "failed", f"{error}. Nichts wurde doppelt gesendet; "
                          "Konfiguration prüfen und erneut ausführen.")
    except TransientError as error:
        return SendReport(False, "failed", f"{error} (nach höchstens {policy.attempts} Versuchen). Der "
                          "Versand ist unterbrochen; der Anbieter hat wohl Probleme – später erneut "
                          "aufrufen: es setzt beim aktuellen Stand fort, ohne doppelt zu senden.")
    except DeadlineExceeded as error:
        return SendReport(False, "failed", f"{error}. Der Versand ist unterbrochen; ein erneuter Aufruf "
                          "setzt beim aktuellen Stand fort, ohne doppelt zu senden.")


def campaign_name(provider: Provider, issue: RenderedIssue) -> str:
    """How the record names an edition's campaign: "listmonk", "listmonk/en"."""
    return provider.name + (f"/{issue.edition}" if issue.edition else "")


def send_editions(editions: list[tuple[RenderedIssue, Provider]], *, test: bool, recipients: list[str],
                  record_path: Path, clock: Clock, timezone: str = "Europe/Berlin",
                  failpoint: Failpoint = lambda _step: None,
                  policy: RetryPolicy = DEFAULT_POLICY,
                  elsewhere: Sequence[tuple[str, Provider]] = (), segment: str = "") -> SendReport:
    """An issue (first) and its language editions, each to its own list and each exactly once;
    the record names the issue, with every edition's campaign, once all are sent. After a partial
    failure nothing is recorded and a rerun sends only what is missing: each edition's campaign
    is looked up at the provider first."""
    reports = [send_issue(issue, provider, test=test, recipients=recipients, record_path=None, clock=clock,
                          timezone=timezone, failpoint=failpoint, policy=policy, segment=segment)
               for issue, provider in editions]
    told = " ".join(report.message for report in reports)
    # A test of the editions not sent yet is a test, also where another edition went out already.
    tested = test and any(report.state == "tested" for report in reports)
    failed = [report for report in reports
              if not report.ok and not (tested and report.state == "already-sent")]
    if failed:
        return SendReport(False, failed[0].state, told + " Im Ausgabenverzeichnis ist nichts vermerkt; ein "
                          "erneuter Aufruf sendet nur, was noch fehlt.", failed[0].campaign)
    first, provider = editions[0]
    campaign = reports[0].campaign
    if test or campaign is None:
        return reports[0] if len(reports) == 1 else SendReport(True, "tested" if tested else reports[0].state,
                                                                 told, campaign)
    campaigns = {campaign_name(p, issue): str(report.campaign.id)
                 for (issue, p), report in zip(editions, reports, strict=True) if report.campaign is not None}
    try:
        # ``elsewhere``: editions with nothing to send in this run (no current translation now)
        # that an earlier run may have sent: the record still names what went out.
        for key, other in elsewhere:
            found = _again(partial(other.find, f"{first.key}-{key}"), clock, policy)
            if found is not None and found.started and not found.stopped and not found.unclear:
                campaigns[f"{other.name}/{key}"] = str(found.id)
        failpoint("before-record")
        _record(record_path, first, provider, campaign, timezone, clock, policy, campaigns)
    except (ProviderError, TransientError, DeadlineExceeded) as error:
        return SendReport(False, "failed", f"{told} Vermerken im Ausgabenverzeichnis nicht möglich: {error}. "
                          "Alles Gestartete bleibt gestartet; ein erneuter Aufruf vermerkt es, ohne doppelt "
                          "zu senden.", campaign)
    return SendReport(True, reports[0].state, told + f" Im Ausgabenverzeichnis {record_path} vermerkt.",
                      campaign)
