package ai.calling.integration.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,} and the base64 HMAC-SHA256 of
 * {@code "{id}.{timestamp}.{body}"}, keyed by the base64-decoded part of a {@code whsec_} secret.
 * Several secrets (during a rotation) give several signatures, separated by spaces.
 */
public final class WebhookSigner {

    public static final String SECRET_START = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSigner() {
    }

    /** A new secret: {@code whsec_} and 32 random bytes in base64. */
    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return SECRET_START + Base64.getEncoder().encodeToString(key);
    }

    public static String sign(String secret, String id, long timestamp, String body) {
        String encoded = secret.startsWith(SECRET_START) ? secret.substring(SECRET_START.length()) : secret;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(encoded), "HmacSHA256"));
            byte[] signature = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The {@code webhook-signature} header: one signature per secret, space separated. */
    public static String header(List<String> secrets, String id, long timestamp, String body) {
        return String.join(" ", secrets.stream().map(secret -> sign(secret, id, timestamp, body)).toList());
    }
}
