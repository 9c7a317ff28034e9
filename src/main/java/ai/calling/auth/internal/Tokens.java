package ai.calling.auth.internal;

import java.security.SecureRandom;
import java.util.Base64;

import ai.calling.common.Hashes;

/** Opaque random tokens (refresh, reset, verification) and the SHA-256 under which they are stored. */
public final class Tokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    /** 256 random bits, URL-safe. */
    public static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String sha256(String token) {
        return Hashes.sha256(token);
    }
}
