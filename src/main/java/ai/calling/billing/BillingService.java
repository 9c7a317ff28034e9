package ai.calling.billing;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;

import ai.calling.billing.internal.StripeGateway;
import ai.calling.billing.internal.StripeRecords;
import ai.calling.common.ApiException;
import ai.calling.config.BillingProperties;
import ai.calling.config.BillingProperties.CreditPackage;
import ai.calling.config.SystemSettings;

/** Credit packages and Stripe Checkout. What a package is worth is ours; the client only names it. */
@Service
public class BillingService {

    private final BillingProperties billing;
    private final StripeGateway stripe;
    private final StripeRecords records;
    private final SystemSettings settings;

    BillingService(BillingProperties billing, StripeGateway stripe, StripeRecords records, SystemSettings settings) {
        this.billing = billing;
        this.stripe = stripe;
        this.records = records;
        this.settings = settings;
    }

    public List<CreditPackage> packages() {
        return billing.packages();
    }

    /** Creates the Stripe session first: when Stripe fails (502/503) nothing is stored. */
    public Checkout checkout(UUID userId, String packageId) {
        CreditPackage creditPackage = billing.packages().stream().filter(p -> p.id().equals(packageId)).findFirst()
                .orElseThrow(() -> ApiException.invalidField("packageId", "is not one of the offered packages"));
        int minimum = settings.intValue(SystemSettings.MINIMUM_CREDIT_PURCHASE, 50);
        if (creditPackage.credits() < minimum) {
            throw ApiException.invalidField("packageId", "is below the minimum purchase of " + minimum + " credits");
        }
        StripeGateway.CreatedSession session = stripe.createCheckout(userId, creditPackage);
        records.saveSession(session.id(), userId, creditPackage.id(), creditPackage.credits(), creditPackage.priceCents(),
                creditPackage.currency());
        return new Checkout(session.url(), session.id());
    }

    public record Checkout(String checkoutUrl, String sessionId) {
    }
}
