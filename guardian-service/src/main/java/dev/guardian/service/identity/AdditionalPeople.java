package dev.guardian.service.identity;

import java.util.List;

/**
 * People loaded at start next to the configured ones ({@code guardian.people}), configured as an
 * operator's would be: the development mode's demo approver. Absent outside the development mode.
 */
public interface AdditionalPeople {
    List<PeopleProperties.Person> people();
}
