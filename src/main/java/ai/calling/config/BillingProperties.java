package ai.calling.config;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Credit packages sold through Stripe Checkout and where Checkout sends the browser back.
 *
 * @param packages   what can be bought; the credited amount always comes from here
 * @param successUrl where Stripe returns after payment ({@code BILLING_SUCCESS_URL})
 * @param cancelUrl  where Stripe returns when the buyer cancels ({@code BILLING_CANCEL_URL})
 */
@ConfigurationProperties("app.billing")
public record BillingProperties(
        @DefaultValue List<CreditPackage> packages,
        @DefaultValue("http://localhost:3000/billing/success?session_id={CHECKOUT_SESSION_ID}") String successUrl,
        @DefaultValue("http://localhost:3000/billing/cancel") String cancelUrl) {

    /**
     * @param id         stable identifier used by clients
     * @param credits    credits granted when paid
     * @param priceCents price in the currency's minor unit
     * @param currency   ISO 4217, lower case as Stripe expects
     */
    public record CreditPackage(String id, String name, int credits, long priceCents, String currency) {
    }
}
