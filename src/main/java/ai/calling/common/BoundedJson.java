package ai.calling.common;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Collection;
import java.util.Map;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A free-form JSON value (a map, list, string, number) that a client sends and we keep or pass on:
 * at most {@link #maxChars()} characters of keys and values in all, nested at most
 * {@link #maxDepth()} deep. Null is valid.
 */
@Documented
@Constraint(validatedBy = BoundedJson.Validator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
public @interface BoundedJson {

    int maxChars();

    int maxDepth() default 8;

    String message() default "must hold at most {maxChars} characters of keys and values, nested at most {maxDepth} deep";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Walks the value, stopping as soon as it is over either bound. */
    class Validator implements ConstraintValidator<BoundedJson, Object> {

        private int maxChars;
        private int maxDepth;

        @Override
        public void initialize(BoundedJson bounds) {
            this.maxChars = bounds.maxChars();
            this.maxDepth = bounds.maxDepth();
        }

        @Override
        public boolean isValid(Object value, ConstraintValidatorContext context) {
            return value == null || size(value, 0, 0) <= maxChars;
        }

        /** Characters counted so far, or {@code maxChars + 1} once a bound is passed. */
        private long size(Object value, int depth, long counted) {
            if (depth > maxDepth || counted > maxChars) {
                return maxChars + 1L;
            }
            if (value instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    counted = size(entry.getValue(), depth + 1, counted + String.valueOf(entry.getKey()).length());
                }
                return counted;
            }
            if (value instanceof Collection<?> list) {
                for (Object item : list) {
                    counted = size(item, depth + 1, counted);
                }
                return counted;
            }
            return counted + String.valueOf(value).length();
        }
    }
}
