package ai.calling.common;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

/** Paging input shared by every list endpoint: {@code ?page=0&size=20}, size capped at 100. */
public final class PageParams {

    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 100;
    /** The furthest row a page may start at: offsets are ints in JPA, and deeper pages are no use to anyone. */
    public static final long MAX_OFFSET = 10_000_000;

    private PageParams() {
    }

    public static PageRequest of(Integer page, Integer size, Sort sort) {
        int p = page == null ? 0 : page;
        int s = size == null ? DEFAULT_SIZE : size;
        if (p < 0) {
            throw ApiException.invalidField("page", "must be 0 or more");
        }
        if (s < 1) {
            throw ApiException.invalidField("size", "must be 1 or more");
        }
        int capped = Math.min(s, MAX_SIZE);
        if ((long) p * capped > MAX_OFFSET) {
            throw ApiException.invalidField("page", "is too large: page × size may be at most " + MAX_OFFSET);
        }
        return PageRequest.of(p, capped, sort);
    }
}
