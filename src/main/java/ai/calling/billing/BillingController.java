package ai.calling.billing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import ai.calling.common.CurrentUser;
import ai.calling.billing.CreditLedger.Movement;
import ai.calling.common.AllowedValues;
import ai.calling.common.PageParams;
import ai.calling.common.PageResponse;
import ai.calling.common.SpreadsheetCsv;
import ai.calling.config.BillingProperties.CreditPackage;
import ai.calling.common.RequiresTeamRole;
import ai.calling.common.TeamRole;

/** Balance, history, packages, checkout, and Stripe's webhook. */
@RestController
class BillingController {

    private final CreditLedger ledger;
    private final BillingService billing;
    private final StripeWebhookService webhooks;

    BillingController(CreditLedger ledger, BillingService billing, StripeWebhookService webhooks) {
        this.ledger = ledger;
        this.billing = billing;
        this.webhooks = webhooks;
    }

    /** {@code credits} is the ledger sum, {@code held} what calls in progress hold, {@code available} the rest. */
    @Operation(summary = "Your credit balance")
    @GetMapping("/api/credits/balance")
    CreditLedger.Balance balance(@AuthenticationPrincipal CurrentUser user) {
        return ledger.balanceOf(user.id());
    }

    @Operation(summary = "Your credit ledger")
    @GetMapping("/api/credits/transactions")
    PageResponse<Movement> transactions(@AuthenticationPrincipal CurrentUser user,
            @RequestParam(required = false) String type, @RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return ledger.history(user.id(), checkedType(type), from, to, PageParams.of(page, size, Sort.unsorted()));
    }

    @Operation(summary = "Export your credit ledger as CSV")
    @GetMapping(value = "/api/credits/transactions/export", produces = "text/csv")
    void export(@AuthenticationPrincipal CurrentUser user, @RequestParam(required = false) String type,
            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
            HttpServletResponse response) throws IOException {
        String checked = checkedType(type);
        SpreadsheetCsv csv = SpreadsheetCsv.download(response, "credit-transactions.csv", "created_at", "type", "amount",
                "balance_after", "description", "call_id", "stripe_payment_id");
        int pageNumber = 0;
        PageResponse<Movement> batch;
        do {
            batch = ledger.history(user.id(), checked, from, to, PageRequest.of(pageNumber++, 1000));
            for (Movement m : batch.items()) {
                csv.row(m.createdAt(), m.type(), m.amount(), m.balanceAfter(), m.description(), m.callId(),
                        m.stripePaymentId());
            }
        } while ((long) pageNumber * 1000 < batch.totalItems());
        csv.flush();
    }

    @Operation(summary = "The credit packages on sale")
    @GetMapping("/api/billing/packages")
    List<CreditPackage> packages() {
        return billing.packages();
    }

    @Operation(summary = "Buy credits (Stripe Checkout)")
    @RequiresTeamRole(TeamRole.OWNER)
    @PostMapping("/api/billing/checkout")
    @ResponseStatus(HttpStatus.CREATED)
    BillingService.Checkout checkout(@AuthenticationPrincipal CurrentUser user, @Valid @RequestBody CheckoutRequest body) {
        return billing.checkout(user.id(), body.packageId());
    }

    /** Authenticated by the signature, not by a user: the security chain lets it through. */
    @Operation(summary = "Stripe event (signed with Stripe-Signature)", requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
            required = true,
            content = @Content(mediaType = "application/json", schema = @Schema(type = "object",
                    description = "A Stripe event, verified against Stripe-Signature with STRIPE_WEBHOOK_SECRET"))))
    @PostMapping("/api/webhooks/stripe")
    Received stripe(@RequestBody byte[] payload,
            @RequestHeader(value = "Stripe-Signature", required = false) String signature) {
        webhooks.handle(new String(payload, StandardCharsets.UTF_8), signature);
        return new Received(true);
    }

    private static String checkedType(String type) {
        return AllowedValues.check("type", type, TransactionTypes.ALL);
    }

    record CheckoutRequest(@NotBlank String packageId) {
    }

    record Received(boolean received) {
    }
}
