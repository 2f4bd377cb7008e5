package dev.guardian.service.sanctions;

import dev.guardian.policy.Address;
import dev.guardian.policy.rules.ScreeningResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** The "screening" entry of a decision's audit record: every version used, every hit, every override applied. */
public final class ScreeningRecord {
    private ScreeningRecord() {}

    public static Map<String, Object> of(ScreeningResult screening) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("list", screening.listVersion());
        entry.put("versions", screening.versions());
        entry.put("screened", screening.screened().size());
        entry.put(
                "hits",
                screening.hits().stream().sorted().map(Address::toString).toList());
        if (!screening.overridden().isEmpty()) {
            Map<String, String> overridden = new TreeMap<>();
            screening.overridden().forEach((address, reason) -> overridden.put(address.toString(), reason));
            entry.put("overridden", overridden);
        }
        screening
                .notCurrent()
                .ifPresent(notCurrent -> entry.put(
                        "notCurrent",
                        Map.of("verdict", notCurrent.verdict().name(), "problems", notCurrent.problems())));
        return entry;
    }
}
