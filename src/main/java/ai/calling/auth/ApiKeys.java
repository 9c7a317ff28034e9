package ai.calling.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.auth.internal.ApiKeyRepository;
import ai.calling.auth.internal.ApiKeyRepository.StoredKey;
import ai.calling.common.ApiException;
import ai.calling.common.Hashes;
import ai.calling.common.PageResponse;
import ai.calling.common.TeamRole;
import ai.calling.config.ApiKeyProperties;

/**
 * API keys for customers' servers: {@code ca_} and 32 random bytes in base64url. Only the SHA-256
 * of a key is stored; its first {@value #PREFIX_LENGTH} characters (the prefix, shown in lists)
 * find the row, and the hash is compared in constant time. A key acts in its workspace for the
 * member who created it, with that member's current team role and the platform role {@code user};
 * it stops working at once when revoked, when the workspace is closed or when its creator leaves.
 */
@Service
public class ApiKeys {

    public static final String KEY_START = "ca_";
    static final int PREFIX_LENGTH = 11;
    private static final int SECRET_BYTES = 32;
    /** The key's length: the start and 43 base64url characters (32 bytes, no padding). */
    private static final int KEY_LENGTH = KEY_START.length() + 43;
    private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

    private final ApiKeyRepository keys;
    private final ApiKeyProperties properties;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    ApiKeys(ApiKeyRepository keys, ApiKeyProperties properties, Clock clock) {
        this.keys = keys;
        this.properties = properties;
        this.clock = clock;
    }

    /** Creates a key for the caller; the answer is the only place its secret ever appears. 409 over the cap. */
    @Transactional
    public CreatedApiKey create(UUID userId, UUID createdBy, String name) {
        if (keys.lockAndCountActive(userId) >= properties.maxPerUser()) {
            throw ApiException.conflict("An account holds at most " + properties.maxPerUser()
                    + " API keys; revoke one first");
        }
        for (int attempt = 0; attempt < 5; attempt++) {
            byte[] secret = new byte[SECRET_BYTES];
            random.nextBytes(secret);
            String key = KEY_START + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            Optional<ApiKeyView> created = keys.insert(userId, createdBy, name.trim(), key.substring(0, PREFIX_LENGTH),
                    Hashes.sha256(key));
            if (created.isPresent()) {
                ApiKeyView view = created.get();
                return new CreatedApiKey(view.id(), view.name(), key, view.prefix(), view.createdAt());
            }
        }
        throw new IllegalStateException("five random key prefixes in a row were taken");
    }

    @Transactional(readOnly = true)
    public PageResponse<ApiKeyView> list(UUID userId, PageRequest page) {
        return new PageResponse<>(keys.page(userId, page.getPageSize(), page.getOffset()), page.getPageNumber(),
                page.getPageSize(), keys.countActive(userId));
    }

    /** Revokes one of the caller's keys: the next request with it is refused. 404 when not theirs or already revoked. */
    @Transactional
    public void revoke(UUID userId, UUID keyId) {
        if (!keys.revoke(userId, keyId)) {
            throw ApiException.notFound("The API key");
        }
    }

    /** Whether a bearer credential is shaped like an API key (and so must not be read as a JWT). */
    public static boolean looksLikeKey(String credential) {
        return credential.startsWith(KEY_START);
    }

    /**
     * The key's id and owner when the key is valid, unrevoked and its owner active. Records the use
     * at most once a minute per key, so that a busy key does not write on every request.
     */
    @Transactional
    public Optional<Authenticated> authenticate(String key) {
        if (key.length() != KEY_LENGTH || !looksLikeKey(key)) {
            return Optional.empty();
        }
        Optional<StoredKey> stored = keys.findUsable(key.substring(0, PREFIX_LENGTH));
        if (stored.isEmpty() || !MessageDigest.isEqual(Hashes.sha256(key).getBytes(StandardCharsets.US_ASCII),
                stored.get().keyHash().getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        StoredKey found = stored.get();
        Instant now = clock.instant();
        if (found.lastUsedAt() == null || !found.lastUsedAt().isAfter(now.minus(LAST_USED_RESOLUTION))) {
            keys.touch(found.id(), now);
        }
        return Optional.of(new Authenticated(found.id(), found.userId(), found.createdBy(),
                TeamRole.fromWire(found.teamRole()).orElseThrow()));
    }

    /** A verified key: its workspace ({@code userId}), its creator and the creator's role there now. */
    public record Authenticated(UUID keyId, UUID userId, UUID createdBy, TeamRole teamRole) {
    }

    /** A key as lists show it: never the secret. */
    public record ApiKeyView(UUID id, String name, String prefix, Instant createdAt, Instant lastUsedAt) {
    }

    /** A key just created: {@code key} is shown this once. */
    public record CreatedApiKey(UUID id, String name, String key, String prefix, Instant createdAt) {
    }
}
