package ai.calling.common;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

/** Paging input shared by every list endpoint: {@code ?page=0&size=20}, size capped at 100. */
public final class PageParams {

    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 100;

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
        return PageRequest.of(p, Math.min(s, MAX_SIZE), sort);
    }
}
