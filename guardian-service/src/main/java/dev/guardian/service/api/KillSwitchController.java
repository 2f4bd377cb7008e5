package dev.guardian.service.api;

import dev.guardian.service.agents.KillSwitch;
import dev.guardian.service.identity.Caller;
import dev.guardian.service.identity.Role;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The kill switch: freeze every agent at once (each next request is denied, no pending approval can
 * complete) and release it. Both need a comment and are audited; releasing leaves agents frozen one by
 * one as they were.
 */
@RestController
@RequestMapping(
        path = "/v1/kill-switch",
        produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
@RequiresRole({Role.TREASURY, Role.ADMIN})
class KillSwitchController {
    private final KillSwitch killSwitch;

    KillSwitchController(KillSwitch killSwitch) {
        this.killSwitch = killSwitch;
    }

    record State(boolean engaged, String changedAt, String changedBy, String comment, Boolean changed) {
        static State of(KillSwitch.State state, Boolean changed) {
            return new State(
                    state.engaged(), state.changedAt().toString(), state.changedBy(), state.comment(), changed);
        }
    }

    @GetMapping
    @RequiresRole({Role.TREASURY, Role.ADMIN, Role.AUDITOR, Role.APPROVER})
    State state() {
        return State.of(killSwitch.state(), null);
    }

    @PostMapping(path = "/engage", consumes = MediaType.APPLICATION_JSON_VALUE)
    State engage(
            @RequestAttribute(AgentAuthentication.CALLER_ATTRIBUTE) Caller caller,
            @Valid @RequestBody TreasuryBodies.RequiredComment body) {
        KillSwitch.Change change = killSwitch.set(true, body.comment().strip(), TreasuryController.actor(caller));
        return State.of(change.state(), change.changed());
    }

    @PostMapping(path = "/release", consumes = MediaType.APPLICATION_JSON_VALUE)
    State release(
            @RequestAttribute(AgentAuthentication.CALLER_ATTRIBUTE) Caller caller,
            @Valid @RequestBody TreasuryBodies.RequiredComment body) {
        KillSwitch.Change change = killSwitch.set(false, body.comment().strip(), TreasuryController.actor(caller));
        return State.of(change.state(), change.changed());
    }
}
