package dev.guardian.service.sanctions;

import dev.guardian.service.audit.Actor;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what screening reported, in order; can be told to fail recording new versions (an audit log that is down). */
final class RecordingEvents implements SanctionsEvents {
    record Event(String kind, String source, String detail, Trigger trigger, Actor actor) {}

    final List<Event> events = new CopyOnWriteArrayList<>();
    volatile boolean failRecordingVersions;

    @Override
    public void listLoaded(
            ListVersion version, Optional<ListVersion> previous, Trigger trigger, Actor actor, boolean shrinkAccepted) {
        if (failRecordingVersions) {
            throw new IllegalStateException("the audit log is down");
        }
        events.add(new Event(
                "loaded",
                version.source(),
                version.sha256() + (shrinkAccepted ? " shrink accepted" : ""),
                trigger,
                actor));
    }

    @Override
    public void reloadKept(
            String source,
            ReloadOutcome.Result result,
            String problem,
            Optional<ListVersion> kept,
            Trigger trigger,
            Actor actor) {
        events.add(new Event(result.name().toLowerCase(), source, problem, trigger, actor));
    }

    @Override
    public void overridesInEffect(List<AllowOverride> overrides, String sha256) {
        events.add(new Event("overrides", "", overrides.size() + " " + sha256, Trigger.STARTUP, Actor.GUARDIAN));
    }

    List<String> kinds() {
        return events.stream().map(Event::kind).toList();
    }

    Event last() {
        return events.getLast();
    }
}
