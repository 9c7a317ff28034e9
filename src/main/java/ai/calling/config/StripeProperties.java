package ai.calling.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Stripe, for buying credits.
 *
 * @param secretKey     API secret key ({@code STRIPE_SECRET_KEY})
 * @param webhookSecret endpoint secret that signs webhooks ({@code STRIPE_WEBHOOK_SECRET})
 * @param apiBase       API base override for tests ({@code STRIPE_API_BASE}); blank means Stripe's own
 */
@ConfigurationProperties("app.stripe")
public record StripeProperties(String secretKey, String webhookSecret, String apiBase) {

    public boolean apiConfigured() {
        return Secrets.isSet(secretKey);
    }

    @Override
    public String toString() {
        return "StripeProperties[secretKey=" + Secrets.mask(secretKey) + ", webhookSecret="
                + Secrets.mask(webhookSecret) + ", apiBase=" + apiBase + "]";
    }
}
