package ai.calling.dnc;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.common.AdminAudit;
import ai.calling.common.ApiException;
import ai.calling.common.CurrentUser;
import ai.calling.common.PageResponse;
import ai.calling.common.PhoneNumbers;
import ai.calling.config.PhoneProperties;
import ai.calling.dnc.internal.DoNotCallNumbers;

/**
 * Numbers that must not be called: each tenant's own list and the platform's, kept by admins. Both
 * apply to every dial: a single call to a listed number is refused, a campaign skips it when it is
 * added and again right before each dial.
 */
@Service
public class DoNotCallList {

    private final DoNotCallNumbers numbers;
    private final PhoneProperties phone;
    private final AdminAudit audit;

    DoNotCallList(DoNotCallNumbers numbers, PhoneProperties phone, AdminAudit audit) {
        this.numbers = numbers;
        this.phone = phone;
        this.audit = audit;
    }

    /** Whether an E.164 number is on the tenant's list or the platform's. */
    @Transactional(readOnly = true)
    public boolean isListed(UUID userId, String e164) {
        return !numbers.listed(userId, Set.of(e164)).isEmpty();
    }

    /** Those of these E.164 numbers on the tenant's list or the platform's. */
    @Transactional(readOnly = true)
    public Set<String> listed(UUID userId, Collection<String> e164s) {
        return numbers.listed(userId, e164s);
    }

    /** Adds to a tenant's list ({@code userId}), or with null to the platform's; 409 when already listed. */
    @Transactional
    public Entry add(UUID userId, String rawPhoneNumber, String reason, UUID createdBy) {
        String e164 = PhoneNumbers.requireE164("phoneNumber", rawPhoneNumber, phone.defaultRegion());
        return numbers.add(userId, e164, reason == null || reason.isBlank() ? null : reason.trim(), createdBy)
                .orElseThrow(() -> ApiException.conflict("This number is already on the do-not-call list"));
    }

    /**
     * Removes from a tenant's list, or with null from the platform's; 404 when it was not listed. Returns the
     * number removed, in E.164.
     */
    @Transactional
    public String remove(UUID userId, String rawPhoneNumber) {
        String e164 = PhoneNumbers.toE164(rawPhoneNumber, phone.defaultRegion())
                .orElseThrow(() -> ApiException.notFound("The number"));
        if (!numbers.remove(userId, e164)) {
            throw ApiException.notFound("The number");
        }
        return e164;
    }

    /** An admin adds a number to the platform's list, audited in the same transaction. */
    @Transactional
    public Entry addToPlatform(CurrentUser admin, String rawPhoneNumber, String reason, HttpServletRequest request) {
        Entry entry = add(null, rawPhoneNumber, reason, admin.memberId());
        audit.record(admin, "do_not_call.added", "do_not_call", entry.phoneNumber(), null,
                Map.of("reason", entry.reason() == null ? "" : entry.reason()), request);
        return entry;
    }

    /** An admin removes a number from the platform's list, audited in the same transaction. */
    @Transactional
    public void removeFromPlatform(CurrentUser admin, String rawPhoneNumber, HttpServletRequest request) {
        // audited under the number as it was added, however the admin wrote it
        String removed = remove(null, rawPhoneNumber);
        audit.record(admin, "do_not_call.removed", "do_not_call", removed, null, Map.of(), request);
    }

    @Transactional(readOnly = true)
    public PageResponse<Entry> list(UUID userId, PageRequest page) {
        return new PageResponse<>(numbers.page(userId, page.getPageSize(), page.getOffset()), page.getPageNumber(),
                page.getPageSize(), numbers.count(userId));
    }

    /** A listed number; {@code list} is {@code account} or {@code platform}. */
    public record Entry(UUID id, String phoneNumber, String reason, String list, UUID createdBy, Instant createdAt) {
    }
}
