package ai.calling.support;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Stripe webhook events as Stripe sends them: the JSON envelope and its Stripe-Signature header. */
public final class StripeEvents {

    private StripeEvents() {
    }

    public static String event(String eventId, String type, String object) {
        return "{\"id\":\"" + eventId + "\",\"object\":\"event\",\"api_version\":\"2025-09-30.clover\",\"created\":"
                + Instant.now().getEpochSecond() + ",\"livemode\":false,\"type\":\"" + type + "\",\"data\":{\"object\":"
                + object + "}}";
    }

    /** Stripe's scheme: t=timestamp,v1=hex(HMAC-SHA256(secret, "t.body")). */
    public static String sign(String body, long timestamp, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String signature = HexFormat.of().formatHex(
                    mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
            return "t=" + timestamp + ",v1=" + signature;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
