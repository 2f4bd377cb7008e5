package dev.guardian.service.api;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * An amount in whole units as a plain decimal string ("12.50"): digits, an optional fraction, no sign,
 * no exponent, and (unless {@link #allowZero()}) greater than zero. Whether it has too many decimal
 * places depends on the asset and is checked where the asset is known.
 */
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = DecimalAmount.Validator.class)
public @interface DecimalAmount {
    String message() default "must be a positive decimal number in whole units, such as \"12.50\"";

    boolean allowZero() default false;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<DecimalAmount, String> {
        private static final Pattern PLAIN_DECIMAL = Pattern.compile("[0-9]{1,40}(\\.[0-9]{1,36})?");
        private boolean allowZero;

        @Override
        public void initialize(DecimalAmount annotation) {
            allowZero = annotation.allowZero();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            if (!PLAIN_DECIMAL.matcher(value).matches()) {
                return false;
            }
            return allowZero || new BigDecimal(value).signum() > 0;
        }
    }
}
