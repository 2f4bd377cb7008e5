package dev.guardian.service.api;

import dev.guardian.service.identity.Role;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The roles an endpoint admits (any one of them suffices). On a controller it applies to every method
 * without its own. An endpoint under {@code /v1} without it admits nobody: fail closed.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface RequiresRole {
    Role[] value();
}
