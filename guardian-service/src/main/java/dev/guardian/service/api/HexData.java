package dev.guardian.service.api;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.regex.Pattern;

/** Call data: {@code 0x} followed by an even number of hex digits. */
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = HexData.Validator.class)
public @interface HexData {
    String message() default "must be 0x followed by an even number of hex digits";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<HexData, String> {
        private static final Pattern HEX = Pattern.compile("0x([0-9a-fA-F]{2})*");

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || HEX.matcher(value).matches();
        }
    }
}
