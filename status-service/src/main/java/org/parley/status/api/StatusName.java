package org.parley.status.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.Locale;

import org.parley.status.domain.Status;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** The name of a {@link Status}, any case (null passes: an absent optional parameter). */
@Target({ ElementType.PARAMETER, ElementType.FIELD })
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = StatusName.Validator.class)
public @interface StatusName {
    String message() default "must be a status";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<StatusName, String> {
        /** The value as the API stores and answers it. */
        public static String normalise(String value) {
            return value.trim().toUpperCase(Locale.ROOT);
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null || Arrays.stream(Status.values()).anyMatch(s -> s.name().equals(normalise(value)))) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate("must be one of " + Arrays.toString(Status.values()))
                    .addConstraintViolation();
            return false;
        }
    }

}
