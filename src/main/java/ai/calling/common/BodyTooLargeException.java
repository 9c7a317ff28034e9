package ai.calling.common;

import java.io.IOException;

/**
 * A request body went past its cap while it was being read (a chunked body, or one longer than its
 * {@code Content-Length}). An {@link IOException}, so that whatever reads the body gives up at once;
 * {@link ProblemDetailsAdvice} answers 413.
 */
public class BodyTooLargeException extends IOException {

    private final long limit;

    public BodyTooLargeException(long limit) {
        super("The request body is larger than " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
