package ai.calling.call;

import java.time.Instant;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;

import org.springframework.data.domain.Sort;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import ai.calling.call.CallDtos.TranscriptHit;
import ai.calling.common.CurrentUser;
import ai.calling.common.PageParams;
import ai.calling.common.PageResponse;

@RestController
@RequestMapping("/api/transcripts")
class TranscriptController {

    private final TranscriptSearchService search;

    TranscriptController(TranscriptSearchService search) {
        this.search = search;
    }

    @Operation(summary = "Search your transcripts", description = """
            Full-text search over your calls' transcripts, as in a web search: words (English stemming: \
            "price" finds "pricing"), "an exact phrase" in quotes, -word to exclude, OR between alternatives. \
            Best matches first. Each hit's snippet marks the matched words with ** on both sides.""")
    @GetMapping("/search")
    PageResponse<TranscriptHit> search(@AuthenticationPrincipal CurrentUser user,
            @Parameter(description = "What to look for (at most 500 characters)") @RequestParam String q,
            @RequestParam(required = false) UUID agentId, @RequestParam(required = false) UUID campaignId,
            @Parameter(description = "Calls made at or after this instant") @RequestParam(required = false) Instant from,
            @Parameter(description = "Calls made before this instant") @RequestParam(required = false) Instant to,
            @Parameter(description = "Hot, Warm or Cold: the call's lead analysis") @RequestParam(required = false)
            String leadTag, @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return search.search(user.id(), q, agentId, campaignId, from, to, leadTag,
                PageParams.of(page, size, Sort.unsorted()));
    }
}
