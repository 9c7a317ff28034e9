package ai.calling.lead;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

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

    /** At most 255 characters, as the columns hold: a longer id is refused before OpenAI is asked or a check cached. */
    static final Pattern PROMPT_ID = Pattern.compile("^pmpt_[A-Za-z0-9_]{1,250}$");

    private final UserAdministration users;
    private final OpenAiAnalyzer openAi;
    private final OpenAiProperties properties;
    private final AdminAudit audit;
    private final TransactionTemplate transactions;
    private final Cache<String, PromptCheck> checks = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(10))
            .maximumSize(10_000).build();

    PromptService(UserAdministration users, OpenAiAnalyzer openAi, OpenAiProperties properties, AdminAudit audit,
            TransactionTemplate transactions) {
        this.users = users;
        this.openAi = openAi;
        this.properties = properties;
        this.audit = audit;
        this.transactions = transactions;
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

    /** The user sets both prompts (null: the default); each id is checked at OpenAI first, outside any transaction. */
    public Prompts set(UUID userId, String individualPromptId, String completePromptId) {
        checkUsable(individualPromptId, completePromptId);
        users.setPromptIds(userId, individualPromptId, completePromptId);
        return prompts(userId);
    }

    /**
     * Checks prompt ids at OpenAI (null ones are skipped), caching each answer; 400 for a malformed id, 422 for
     * one OpenAI refuses. Called before any transaction opens: OpenAI is never asked while a connection is held
     * (an admin's all-or-nothing account change checks its ids with this first).
     */
    public Set<String> checkUsable(String individualPromptId, String completePromptId) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("OpenAI is asked about prompts outside transactions only");
        }
        requireUsable("individualPromptId", individualPromptId);
        requireUsable("completePromptId", completePromptId);
        Set<String> usable = new HashSet<>();
        if (individualPromptId != null) {
            usable.add(individualPromptId);
        }
        if (completePromptId != null) {
            usable.add(completePromptId);
        }
        return usable;
    }

    /** An admin sets another user's prompts; the ids are checked first, then changed and audited in one transaction. */
    public Prompts setForUser(CurrentUser admin, UUID userId, String individualPromptId, String completePromptId,
            HttpServletRequest request) {
        if (!admin.isAdmin()) {
            throw ApiException.forbidden("Only admins manage other users' prompts");
        }
        users.checkMayChange(admin, userId);
        return setForUser(admin, userId, individualPromptId, completePromptId, request,
                checkUsable(individualPromptId, completePromptId));
    }

    /**
     * As {@link #setForUser(CurrentUser, UUID, String, String, HttpServletRequest)}, within the caller's transaction
     * when it has one, for ids that {@link #checkUsable} found usable beforehand ({@code checked}): an id that
     * changes must be one of them.
     */
    public Prompts setForUser(CurrentUser admin, UUID userId, String individualPromptId, String completePromptId,
            HttpServletRequest request, Set<String> checked) {
        if (!admin.isAdmin()) {
            throw ApiException.forbidden("Only admins manage other users' prompts");
        }
        return transactions.execute(status -> {
            PromptIds before = users.promptIds(userId);
            for (String changed : new String[] {
                    Objects.equals(before.individualPromptId(), individualPromptId) ? null : individualPromptId,
                    Objects.equals(before.completePromptId(), completePromptId) ? null : completePromptId }) {
                if (changed != null && !checked.contains(changed)) {
                    throw new IllegalStateException("Prompt " + changed + " was not checked at OpenAI beforehand");
                }
            }
            users.setPromptIds(userId, individualPromptId, completePromptId);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("individualFrom", before.individualPromptId());
            details.put("individualTo", individualPromptId);
            details.put("completeFrom", before.completePromptId());
            details.put("completeTo", completePromptId);
            audit.record(admin, "openai_prompts.changed", "user", userId.toString(), userId, details, request);
            return prompts(userId);
        });
    }

    /**
     * An admin changes some of another user's prompts (PATCH): null leaves a prompt as it is, a blank
     * id sets it back to the system default. Inside a transaction (an account change), the ids given must
     * have been checked with {@link #checkUsable} first.
     */
    public Prompts patchForUser(CurrentUser admin, UUID userId, String individualPromptId, String completePromptId,
            HttpServletRequest request, Set<String> checked) {
        PromptIds current = users.promptIds(userId);
        return setForUser(admin, userId, patched(current.individualPromptId(), individualPromptId),
                patched(current.completePromptId(), completePromptId), request, checked);
    }

    /** What a PATCH sets a prompt to: null leaves it, blank clears it, else the trimmed id. */
    public static String patched(String current, String requested) {
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

    /** 400 for a malformed id, 422 for one OpenAI refuses (answers cached); null passes. */
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
