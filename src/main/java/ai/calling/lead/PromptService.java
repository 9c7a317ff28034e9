package ai.calling.lead;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.common.AdminAudit;
import ai.calling.auth.UserAdministration;
import ai.calling.auth.UserAdministration.PromptIds;
import ai.calling.common.ApiException;
import ai.calling.common.CurrentUser;
import ai.calling.config.OpenAiProperties;
import ai.calling.lead.internal.OpenAiAnalyzer;
import ai.calling.lead.internal.OpenAiAnalyzer.PromptCheck;

/**
 * Which OpenAI prompts analyse a user's calls. Ids look like {@code pmpt_...}; every id set is first
 * checked against OpenAI (results cached 10 minutes) and an unusable one is refused (422).
 */
@Service
public class PromptService {

    static final Pattern PROMPT_ID = Pattern.compile("^pmpt_[A-Za-z0-9_]+$");

    private final UserAdministration users;
    private final OpenAiAnalyzer openAi;
    private final OpenAiProperties properties;
    private final AdminAudit audit;
    private final Cache<String, PromptCheck> checks = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(10))
            .maximumSize(10_000).build();

    PromptService(UserAdministration users, OpenAiAnalyzer openAi, OpenAiProperties properties, AdminAudit audit) {
        this.users = users;
        this.openAi = openAi;
        this.properties = properties;
        this.audit = audit;
    }

    public Prompts prompts(UUID userId) {
        PromptIds own = users.promptIds(userId);
        return new Prompts(own.individualPromptId(), own.completePromptId(), properties.individualPromptId(),
                properties.completePromptId());
    }

    public PromptCheck validate(String promptId) {
        checkFormat("promptId", promptId);
        return checks.get(promptId, openAi::check);
    }

    @Transactional
    public Prompts set(UUID userId, String individualPromptId, String completePromptId) {
        requireUsable("individualPromptId", individualPromptId);
        requireUsable("completePromptId", completePromptId);
        users.setPromptIds(userId, individualPromptId, completePromptId);
        return prompts(userId);
    }

    /** An admin sets another user's prompts; audited in the same transaction. */
    @Transactional
    public Prompts setForUser(CurrentUser admin, UUID userId, String individualPromptId, String completePromptId,
            HttpServletRequest request) {
        if (!admin.isAdmin()) {
            throw ApiException.forbidden("Only admins manage other users' prompts");
        }
        users.checkMayChange(admin, userId);
        PromptIds before = users.promptIds(userId);
        Prompts after = set(userId, individualPromptId, completePromptId);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("individualFrom", before.individualPromptId());
        details.put("individualTo", individualPromptId);
        details.put("completeFrom", before.completePromptId());
        details.put("completeTo", completePromptId);
        audit.record(admin, "openai_prompts.changed", "user", userId.toString(), userId, details, request);
        return after;
    }

    /**
     * An admin changes some of another user's prompts (PATCH): null leaves a prompt as it is, a blank
     * id sets it back to the system default.
     */
    @Transactional
    public Prompts patchForUser(CurrentUser admin, UUID userId, String individualPromptId, String completePromptId,
            HttpServletRequest request) {
        PromptIds current = users.promptIds(userId);
        return setForUser(admin, userId, patched(current.individualPromptId(), individualPromptId),
                patched(current.completePromptId(), completePromptId), request);
    }

    private static String patched(String current, String requested) {
        if (requested == null) {
            return current;
        }
        return requested.isBlank() ? null : requested.trim();
    }

    public Prompts promptsForAdmin(CurrentUser admin, UUID userId) {
        if (!admin.isAdmin()) {
            throw ApiException.forbidden("Only admins read other users' prompts");
        }
        return prompts(userId);
    }

    private void requireUsable(String field, String promptId) {
        if (promptId == null) {
            return;
        }
        checkFormat(field, promptId);
        PromptCheck check = checks.get(promptId, openAi::check);
        if (!check.valid()) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Unprocessable Content",
                    field + " is not usable at OpenAI: " + check.error());
        }
    }

    private static void checkFormat(String field, String promptId) {
        if (promptId == null || !PROMPT_ID.matcher(promptId).matches()) {
            throw ApiException.invalidField(field, "must be pmpt_ followed by letters, digits or _");
        }
    }

    /** The user's own prompt ids (null: the default applies) and the system defaults. */
    public record Prompts(String individualPromptId, String completePromptId, String defaultIndividualPromptId,
            String defaultCompletePromptId) {
    }
}
