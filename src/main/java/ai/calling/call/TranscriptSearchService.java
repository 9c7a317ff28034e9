package ai.calling.call;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.call.internal.TranscriptSearch;
import ai.calling.call.internal.TranscriptSearch.Filter;
import ai.calling.call.CallDtos.TranscriptHit;
import ai.calling.common.AllowedValues;
import ai.calling.common.ApiException;
import ai.calling.common.PageResponse;

/** Searching the caller's transcripts as one searches the web: words, "exact phrases", -excluded words. */
@Service
public class TranscriptSearchService {

    static final int MAX_QUERY_LENGTH = 500;
    static final Set<String> LEAD_TAGS = Set.of("Hot", "Warm", "Cold");

    private final TranscriptSearch search;

    TranscriptSearchService(TranscriptSearch search) {
        this.search = search;
    }

    @Transactional(readOnly = true)
    public PageResponse<TranscriptHit> search(UUID userId, String query, UUID agentId, UUID campaignId, Instant from, Instant to,
            String leadTag, PageRequest page) {
        if (query == null || query.isBlank()) {
            throw ApiException.invalidField("q", "must not be blank");
        }
        if (query.length() > MAX_QUERY_LENGTH) {
            throw ApiException.invalidField("q", "must be at most " + MAX_QUERY_LENGTH + " characters");
        }
        AllowedValues.check("leadTag", leadTag, LEAD_TAGS);
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.invalidField("to", "must be after from");
        }
        Filter filter = new Filter(query.strip(), agentId, campaignId, from, to, leadTag);
        TranscriptSearch.Page found = search.page(userId, filter, page.getPageSize(), page.getOffset());
        return new PageResponse<>(found.hits(), page.getPageNumber(), page.getPageSize(), found.total());
    }
}
