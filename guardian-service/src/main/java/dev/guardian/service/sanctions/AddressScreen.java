package dev.guardian.service.sanctions;

import dev.guardian.policy.Address;
import dev.guardian.policy.rules.ScreeningResult;
import java.util.Set;

/** Screens addresses against the sanctions sources in use. Never throws: a failure is a result that is not current. */
@FunctionalInterface
public interface AddressScreen {
    ScreeningResult screen(Set<Address> touched);
}
