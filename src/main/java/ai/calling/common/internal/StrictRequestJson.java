package ai.calling.common.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.KeyDeserializer;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * The JSON rules for request bodies bound by Spring MVC, on top of the application's mapper: no NUL
 * character in any string or object key (PostgreSQL cannot store one in text or jsonb), and dates
 * within the years 1 to 9999 (what the database and every client can represent). A value breaking
 * them is a 400 naming the field. Only the MVC message converter uses this mapper: the Bolna
 * webhook servlet and the Stripe webhook read raw bytes and are not affected.
 */
public final class StrictRequestJson {

    static final String NUL_MESSAGE = "must not contain the NUL character (\\u0000)";
    static final String DATE_MESSAGE = "must be a date between the years 1 and 9999";
    private static final Set<Class<?>> DATES = Set.of(LocalDate.class, LocalDateTime.class, Instant.class,
            OffsetDateTime.class, ZonedDateTime.class);

    private StrictRequestJson() {
    }

    public static JsonMapper mapper(JsonMapper base) {
        return base.rebuild().addModule(module()).build();
    }

    static SimpleModule module() {
        return new SimpleModule("strict-request-json")
                .addDeserializer(String.class, new NulFreeStrings())
                .addKeyDeserializer(String.class, new NulFreeKeys())
                .setDeserializerModifier(new BoundedDates());
    }

    /** Whether a year is one the database and clients can hold. */
    public static boolean boundedYear(int year) {
        return year >= 1 && year <= 9999;
    }

    /** A value refused by these rules; {@link #reason()} is written for the client. */
    public static final class RejectedValueException extends InvalidFormatException {

        private final String reason;

        RejectedValueException(JsonParser parser, String reason, Object value, Class<?> type) {
            super(parser, reason, value, type);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    private static final class NulFreeStrings extends StdScalarDeserializer<String> {

        NulFreeStrings() {
            super(String.class);
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.Textual;
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws JacksonException {
            String value = StringDeserializer.instance.deserialize(parser, context);
            if (value != null && value.indexOf('\0') >= 0) {
                throw new RejectedValueException(parser, NUL_MESSAGE, value, String.class);
            }
            return value;
        }
    }

    private static final class NulFreeKeys extends KeyDeserializer {

        @Override
        public Object deserializeKey(String key, DeserializationContext context) throws JacksonException {
            if (key.indexOf('\0') >= 0) {
                throw new RejectedValueException(context.getParser(), NUL_MESSAGE, key, String.class);
            }
            return key;
        }
    }

    private static final class BoundedDates extends ValueDeserializerModifier {

        @Override
        public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription.Supplier bean,
                ValueDeserializer<?> deserializer) {
            return DATES.contains(bean.getBeanClass()) ? new BoundedDate(deserializer) : deserializer;
        }
    }

    /** Delegates to the usual java.time deserializer, then checks the year. */
    private static final class BoundedDate extends StdDeserializer<Object> {

        private final ValueDeserializer<?> delegate;

        BoundedDate(ValueDeserializer<?> delegate) {
            super(delegate.handledType());
            this.delegate = delegate;
        }

        @Override
        public ValueDeserializer<?> createContextual(DeserializationContext context, BeanProperty property) {
            ValueDeserializer<?> contextual = delegate.createContextual(context, property);
            return contextual == delegate ? this : new BoundedDate(contextual);
        }

        @Override
        public void resolve(DeserializationContext context) {
            delegate.resolve(context);
        }

        @Override
        public LogicalType logicalType() {
            return delegate.logicalType();
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws JacksonException {
            Object value = delegate.deserialize(parser, context);
            if (value != null && !boundedYear(year(value))) {
                throw new RejectedValueException(parser, DATE_MESSAGE, value, handledType());
            }
            return value;
        }

        private static int year(Object value) {
            if (value instanceof Instant instant) {
                return instant.atOffset(ZoneOffset.UTC).getYear();
            }
            return ((TemporalAccessor) value).get(ChronoField.YEAR);
        }
    }
}
