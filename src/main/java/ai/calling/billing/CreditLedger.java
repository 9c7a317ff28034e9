package ai.calling.billing;

import java.time.Instant;
import java.util.UUID;

import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.billing.internal.CreditLedgerRepository;
import ai.calling.billing.internal.CreditLedgerRepository.TransactionRow;
import ai.calling.common.ApiException;
import ai.calling.common.PageResponse;

/**
 * The only way credits move. Each movement locks the user's balance, changes it and appends a
 * credit_transactions row with the balance it left, all in one transaction (the caller's, or its
 * own). Movements that stand for an outside fact (a call, a Stripe payment or refund) are
 * idempotent: repeating one returns the first and moves nothing, backed by unique indexes.
 */
@Service
public class CreditLedger {

    public static final String PURCHASE = "purchase";
    public static final String USAGE = "usage";
    public static final String BONUS = "bonus";
    public static final String ADMIN_ADJUSTMENT = "admin_adjustment";
    public static final String REFUND = "refund";

    private final CreditLedgerRepository repository;

    CreditLedger(CreditLedgerRepository repository) {
        this.repository = repository;
    }

    /** Adds credits (a sign-up bonus, ...); returns the new balance. */
    @Transactional(propagation = Propagation.MANDATORY)
    public int credit(UUID userId, String type, int amount, String description, UUID createdBy) {
        if (amount <= 0) {
            throw new IllegalArgumentException("a credit must be positive, got " + amount);
        }
        lock(userId);
        return move(userId, type, amount, description, null, null, createdBy).balanceAfter();
    }

    /**
     * Debits a call's usage once: a second debit for the same call returns the first. The balance
     * may go below zero (the call has happened); starting a call needs a positive balance instead.
     */
    @Transactional
    public Movement debitUsage(UUID userId, UUID callId, int credits, String description) {
        if (credits < 0) {
            throw new IllegalArgumentException("usage cannot be negative, got " + credits);
        }
        lock(userId);
        return repository.usageOf(callId).map(CreditLedger::movement)
                .orElseGet(() -> movement(move(userId, USAGE, -credits, description, null, callId, null)));
    }

    /** Credits a paid Stripe payment once per payment id. */
    @Transactional
    public Movement purchase(UUID userId, int credits, String stripePaymentId, String description) {
        lock(userId);
        return repository.byStripeId(PURCHASE, stripePaymentId).map(CreditLedger::movement)
                .orElseGet(() -> movement(move(userId, PURCHASE, credits, description, stripePaymentId, null, null)));
    }

    /** Takes back the credits of a Stripe refund once per refund id (the balance may go below zero). */
    @Transactional
    public Movement refund(UUID userId, int credits, String stripeRefundId, String description) {
        lock(userId);
        return repository.byStripeId(REFUND, stripeRefundId).map(CreditLedger::movement)
                .orElseGet(() -> movement(move(userId, REFUND, -credits, description, stripeRefundId, null, null)));
    }

    /** An admin's correction; refused (409) when it would take the balance below zero. */
    @Transactional
    public Movement adjust(UUID userId, int amount, String reason, UUID adminId) {
        if (amount == 0) {
            throw ApiException.invalidField("amount", "must not be zero");
        }
        int balance = lock(userId);
        if (balance + amount < 0) {
            throw new ApiException(HttpStatus.CONFLICT, "Conflict", "The adjustment would take the balance ("
                    + balance + ") below zero");
        }
        return movement(move(userId, ADMIN_ADJUSTMENT, amount, reason, null, null, adminId));
    }

    @Transactional(readOnly = true)
    public int balance(UUID userId) {
        return repository.balance(userId).orElseThrow(() -> ApiException.notFound("The user"));
    }

    @Transactional(readOnly = true)
    public PageResponse<Movement> history(UUID userId, String type, Instant from, Instant to, PageRequest page) {
        long total = repository.count(userId, type, from, to);
        var items = repository.page(userId, type, from, to, page.getPageSize(), page.getOffset()).stream()
                .map(CreditLedger::movement).toList();
        return new PageResponse<>(items, page.getPageNumber(), page.getPageSize(), total);
    }

    private int lock(UUID userId) {
        return repository.lockBalance(userId).orElseThrow(() -> ApiException.notFound("The user"));
    }

    private TransactionRow move(UUID userId, String type, int amount, String description, String stripeId, UUID callId,
            UUID createdBy) {
        int balance = repository.addToBalance(userId, amount);
        return repository.append(userId, type, amount, balance, description, stripeId, callId, createdBy);
    }

    private static Movement movement(TransactionRow row) {
        return new Movement(row.id(), row.type(), row.amount(), row.balanceAfter(), row.description(),
                row.stripePaymentId(), row.callId(), row.createdBy(), row.createdAt());
    }

    /** One row of a user's credit history. */
    public record Movement(UUID id, String type, int amount, int balanceAfter, String description,
            String stripePaymentId, UUID callId, UUID createdBy, Instant createdAt) {
    }
}
