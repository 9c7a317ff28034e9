package ai.calling.common;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of an HTTP {@code Range} header (RFC 9110 section 14) over a representation of a
 * known length: {@code bytes=100-199}, {@code bytes=100-}, {@code bytes=-500}. A header that is not
 * a single byte range (several ranges, another unit, bad syntax) is ignored, as the RFC allows: the
 * whole representation is served.
 */
public record ByteRange(long start, long end) {

    private static final Pattern SINGLE = Pattern.compile("^\\s*bytes\\s*=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*$",
            Pattern.CASE_INSENSITIVE);

    public long length() {
        return end - start + 1;
    }

    /** {@code Content-Range} of this range. */
    public String contentRange(long total) {
        return "bytes " + start + "-" + end + "/" + total;
    }

    /**
     * The range of {@code header} within {@code total} bytes; empty when the header is absent or not
     * one byte range (serve everything). Throws {@link Unsatisfiable} when it is one range that lies
     * wholly outside (416).
     */
    public static Optional<ByteRange> parse(String header, long total) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = SINGLE.matcher(header);
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return Optional.empty();
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || total == 0) {
                    throw new Unsatisfiable();
                }
                return Optional.of(new ByteRange(Math.max(0, total - suffix), total - 1));
            }
            long start = Long.parseLong(m.group(1));
            long end = m.group(2).isEmpty() ? Long.MAX_VALUE : Long.parseLong(m.group(2));
            if (end < start) {
                return Optional.empty();
            }
            if (start >= total) {
                throw new Unsatisfiable();
            }
            return Optional.of(new ByteRange(start, Math.min(end, total - 1)));
        } catch (NumberFormatException tooLong) {
            return Optional.empty();
        }
    }

    /** The range lies beyond the end of the representation: 416 with {@code Content-Range: bytes *}/total. */
    public static final class Unsatisfiable extends RuntimeException {
        Unsatisfiable() {
            super("The requested range lies outside the recording", null, false, false);
        }
    }
}
