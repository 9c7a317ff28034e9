package ai.calling.billing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.billing.internal.CreditHolds;
import ai.calling.billing.internal.CreditLedgerRepository;
import ai.calling.billing.internal.CreditLedgerRepository.DialLimits;
import ai.calling.billing.internal.CreditLedgerRepository.TransactionRow;
import ai.calling.billing.internal.LowCreditAlerts;
import ai.calling.common.ApiException;
import ai.calling.common.PageResponse;
import ai.calling.config.SystemSettings;

/**
 * The only way credits move. Each movement locks the user's balance, changes it and appends a
 * credit_transactions row with the balance it left, all in one transaction (the caller's, or its
 * own). Movements that stand for an outside fact (a call, a Stripe payment or refund) are
 * idempotent: repeating one returns the first and moves nothing, backed by unique indexes.
 * <p>
 * Credit holds reserve what a call in progress may cost: taken (with the checks of available credits
 * and of the account's cap on calls in progress) under the same balance lock that movements take, so
 * parallel dials of one account, on any number of instances, see each other's holds; released in the
 * transaction that debits the call's real cost. Holds are not ledger rows: {@code available =
 * credits - held}.
 */
@Service
public class CreditLedger {

    public static final String PURCHASE = "purchase";
    public static final String USAGE = "usage";
    public static final String BONUS = "bonus";
    public static final String ADMIN_ADJUSTMENT = "admin_adjustment";
    public static final String REFUND = "refund";

    private final CreditLedgerRepository repository;
    private final CreditHolds holds;
    private final SystemSettings settings;
    private final ApplicationEventPublisher events;
    private final LowCreditAlerts lowAlerts;
    private final ClosedAccounts closedAccounts;

    CreditLedger(CreditLedgerRepository repository, CreditHolds holds, SystemSettings settings,
            ApplicationEventPublisher events, LowCreditAlerts lowAlerts, ObjectProvider<ClosedAccounts> closedAccounts) {
        this.lowAlerts = lowAlerts;
        // the accounts module answers it; a slice of the application without that module (a module test of
        // campaigns, whose dependencies do not reach it) has no closed accounts
        this.closedAccounts = closedAccounts.getIfAvailable(() -> userId -> false);
        this.repository = repository;
        this.holds = holds;
        this.settings = settings;
        this.events = events;
    }

    /**
     * How many of {@code wanted} outbound dials of an agent with this hard limit the account may start
     * now: under its cap on calls in progress and within its available credits. Locks the account's
     * balance until the caller's transaction ends (the transaction that records the dials and then
     * {@link #hold holds} them), so parallel dials of one account, on any instance, see each other.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public HoldQuota holdQuota(UUID userId, int maxCallDurationSeconds, int wanted) {
        DialLimits limits = repository.lockForDial(userId).orElseThrow(() -> ApiException.notFound("The user"));
        // read after the lock: every hold committed before it is counted
        CreditHolds.Open open = holds.open(userId);
        int cap = limits.maxConcurrentCalls() != null ? limits.maxConcurrentCalls()
                : settings.intValue(SystemSettings.MAX_CONCURRENT_CALLS_PER_USER, 10);
        HoldTerms terms = HoldTerms.of(maxCallDurationSeconds, creditsPerMinute());
        return HoldQuota.of(terms, wanted, cap, open.count(), limits.credits(), open.held());
    }

    /**
     * Holds each call under the terms of a quota taken in this transaction: under the balance lock it
     * took, the account's credits and holds are the quota's plus these (nothing is read again).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void hold(UUID userId, List<UUID> callIds, HoldQuota quota) {
        holds.insert(userId, callIds, quota.terms());
        long fall = (long) callIds.size() * quota.terms().amount();
        publishIfLow(userId, fall, quota.credits(), quota.held() + fall);
    }

    /**
     * Holds what a call that has already started without us (an inbound call) may cost, with no checks:
     * it cannot be refused, but it counts as a call in progress and its cost is bounded like any other.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public HoldTerms holdStarted(UUID userId, UUID callId, int maxCallDurationSeconds) {
        HoldTerms terms = HoldTerms.of(maxCallDurationSeconds, creditsPerMinute());
        holds.insert(userId, List.of(callId), terms);
        publishIfLow(userId, terms.amount());
        return terms;
    }

    /** Calls in progress (open holds) of each of these accounts; accounts without any are absent. */
    @Transactional(readOnly = true)
    public Map<UUID, Integer> callsInProgress(Collection<UUID> userIds) {
        return holds.openByUser(userIds).stream().collect(Collectors.toMap(CreditHolds.Open::userId,
                CreditHolds.Open::count));
    }

    /** The terms of the open holds of these calls, by call id (calls without one are absent). */
    @Transactional(readOnly = true)
    public Map<UUID, HoldTerms> holdsOf(Collection<UUID> callIds) {
        return holds.of(callIds).stream().collect(Collectors.toMap(CreditHolds.Terms::callId, CreditHolds.Terms::terms));
    }

    /** The terms a call without a hold is charged under: the longest call any agent may make, today's price. */
    public HoldTerms unheldTerms() {
        return HoldTerms.of(HoldTerms.LONGEST_CALL_SECONDS, creditsPerMinute());
    }

    /**
     * Ends a call's money matters in the caller's transaction: releases its hold (if it has one) and
     * debits its real cost (if any) once. {@code credits} was computed from the hold's terms.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void settle(UUID userId, UUID callId, int credits, String description) {
        settleAll(List.of(new Settlement(userId, callId, credits, description)));
    }

    /** A call's money matters to end: its account, the call, its cost (0: none) and the debit's description. */
    public record Settlement(UUID userId, UUID callId, int credits, String description) {
    }

    /**
     * Ends several calls' money matters in the caller's transaction, as {@link #settle} does for each,
     * in five statements for them all (a batch of webhook events ends many calls at once): their holds
     * are released; the accounts with a cost to debit are locked (in one order), the calls already
     * debited are left out, and each other cost is debited once, the accounts' balances and the usage
     * rows (each with the balance it leaves, chained in the order given) written together.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void settleAll(List<Settlement> settlements) {
        if (settlements.isEmpty()) {
            return;
        }
        holds.releaseAll(settlements.stream().map(Settlement::callId).toList());
        // the released holds covered at least these costs: available credits do not fall here
        List<Settlement> costs = settlements.stream().filter(settlement -> settlement.credits() > 0).toList();
        if (costs.isEmpty()) {
            return;
        }
        Map<UUID, Integer> balances = repository.lockBalances(costs.stream().map(Settlement::userId).distinct().toList());
        Set<UUID> debited = new HashSet<>(repository.usageCalls(costs.stream().map(Settlement::callId).toList()));
        Map<UUID, Integer> deltas = new LinkedHashMap<>();
        List<CreditLedgerRepository.Usage> usages = new ArrayList<>();
        for (Settlement cost : costs) {
            if (!balances.containsKey(cost.userId())) {
                throw ApiException.notFound("The user");
            }
            if (!debited.add(cost.callId())) {
                // debited once already (a second debit for a call returns the first, as debitUsage does)
                continue;
            }
            int after = balances.merge(cost.userId(), -cost.credits(), Integer::sum);
            deltas.merge(cost.userId(), -cost.credits(), Integer::sum);
            usages.add(new CreditLedgerRepository.Usage(cost.userId(), -cost.credits(), after, cost.description(),
                    cost.callId()));
        }
        if (usages.isEmpty()) {
            return;
        }
        Map<UUID, Integer> written = repository.addToBalances(deltas);
        deltas.keySet().forEach(user -> {
            if (!balances.get(user).equals(written.get(user))) {
                // cannot happen under the lock; a ledger whose rows would not chain is refused
                throw new IllegalStateException("The balance of " + user + " moved under its lock");
            }
        });
        repository.appendUsages(usages);
    }

    /** Balance, held and available credits of one account. */
    @Transactional(readOnly = true)
    public Balance balanceOf(UUID userId) {
        CreditLedgerRepository.BalanceAndHeld state = repository.balanceAndHeld(userId)
                .orElseThrow(() -> ApiException.notFound("The user"));
        return new Balance(state.credits(), state.held(), state.credits() - state.held());
    }

    private int creditsPerMinute() {
        return Math.max(0, settings.intValue(SystemSettings.CREDITS_PER_MINUTE, 1));
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
        return repository.usageOf(callId).map(CreditLedger::movement).orElseGet(() -> {
            Movement debited = movement(move(userId, USAGE, -credits, description, null, callId, null));
            publishIfLow(userId, credits);
            return debited;
        });
    }

    /**
     * Publishes {@link CreditsLow} when what just happened (a fall of the available credits by
     * {@code fall}, under the account's lock) took them from at least the threshold to below it.
     */
    private void publishIfLow(UUID userId, long fall) {
        if (fall > 0 && lowThreshold() > 0) {
            publishIfLow(userId, fall, balance(userId), holds.held(userId));
        }
    }

    /** As {@link #publishIfLow(UUID, long)}, with the account's balance and held credits as they are now. */
    private void publishIfLow(UUID userId, long fall, int credits, long held) {
        int threshold = lowThreshold();
        if (threshold <= 0 || fall <= 0) {
            return;
        }
        long available = credits - held;
        // once per fall: holds come and go (a campaign's calls take them and release them as they end, a dial
        // Bolna refuses gives its hold back at once), and each return above the threshold told the account again
        if (available < threshold && available + fall >= threshold && lowAlerts.raise(userId)) {
            events.publishEvent(new CreditsLow(userId, credits, held, available, threshold));
        }
    }

    private int lowThreshold() {
        return settings.intValue(SystemSettings.LOW_CREDIT_THRESHOLD, 50);
    }

    /** Credits a paid Stripe payment once per payment id. */
    @Transactional
    public Movement purchase(UUID userId, int credits, String stripePaymentId, String description) {
        return oncePerStripeId(userId, PURCHASE, credits, stripePaymentId, description);
    }

    /**
     * Credits a paid Stripe payment once per payment id, unless its account has been closed: empty then, nothing
     * credited (the payment is to be refunded). Asked under the account's balance lock, which a closure's update
     * of the account's row waits for: a closure committed before this sees nothing credited, one after it finds
     * the credits in the balance as any closure does.
     */
    @Transactional
    public Optional<Movement> purchaseUnlessClosed(UUID userId, int credits, String stripePaymentId, String description) {
        lock(userId);
        if (closedAccounts.isClosed(userId)) {
            return Optional.empty();
        }
        return Optional.of(oncePerStripeId(userId, PURCHASE, credits, stripePaymentId, description));
    }

    /** Takes back the credits of a Stripe refund once per refund id (the balance may go below zero). */
    @Transactional
    public Movement refund(UUID userId, int credits, String stripeRefundId, String description) {
        lock(userId);
        Movement movement = repository.byStripeId(REFUND, stripeRefundId).map(row -> repeated(row, userId, -credits))
                .orElseGet(() -> {
                    Movement refunded = movement(move(userId, REFUND, -credits, description, stripeRefundId, null, null));
                    publishIfLow(userId, credits);
                    return refunded;
                });
        return movement;
    }

    /**
     * Gives back credits that refunds took when Stripe reports that a refund failed or was cancelled (its money
     * came back to us), once per key: a {@code refund} row with a positive amount.
     */
    @Transactional
    public Movement refundReversed(UUID userId, int credits, String stripeKey, String description) {
        return oncePerStripeId(userId, REFUND, credits, stripeKey, description);
    }

    /** Adds a movement standing for a Stripe fact once per id: repeated, it returns the first and moves nothing. */
    private Movement oncePerStripeId(UUID userId, String type, int amount, String stripeId, String description) {
        lock(userId);
        return repository.byStripeId(type, stripeId).map(row -> repeated(row, userId, amount))
                .orElseGet(() -> movement(move(userId, type, amount, description, stripeId, null, null)));
    }

    /**
     * The movement already made under a Stripe key, asked for again: the same account and amount is a redelivery
     * (nothing moves); anything else is one key given to two different facts, and fails the transaction rather
     * than passing for a redelivery and leaving the second fact unrecorded (as Stripe refuses a repeated
     * idempotency key with other parameters).
     */
    private static Movement repeated(TransactionRow row, UUID userId, int amount) {
        if (!row.userId().equals(userId) || row.amount() != amount) {
            throw new IllegalStateException("Ledger key " + row.stripePaymentId() + " of a " + row.type() + " of "
                    + row.amount() + " for account " + row.userId() + " asked again for " + amount + " for account "
                    + userId);
        }
        return movement(row);
    }

    /**
     * An admin's correction; refused (409) when it would take the available credits (balance minus
     * holds) below zero.
     */
    @Transactional
    public Movement adjust(UUID userId, int amount, String reason, UUID adminId) {
        if (amount == 0) {
            throw ApiException.invalidField("amount", "must not be zero");
        }
        int balance = lock(userId);
        long available = balance - holds.held(userId);
        if (available + amount < 0) {
            throw new ApiException(HttpStatus.CONFLICT, "Conflict", "The adjustment would take the available credits ("
                    + available + ") below zero");
        }
        Movement movement = movement(move(userId, ADMIN_ADJUSTMENT, amount, reason, null, null, adminId));
        publishIfLow(userId, -amount);
        return movement;
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
        TransactionRow row = repository.append(userId, type, amount, balance, description, stripeId, callId, createdBy);
        if (amount > 0) {
            if (balance - holds.held(userId) >= lowThreshold()) {
                lowAlerts.clear(userId);
            }
            events.publishEvent(new CreditsAdded(userId, amount));
        }
        return row;
    }

    private static Movement movement(TransactionRow row) {
        return new Movement(row.id(), row.type(), row.amount(), row.balanceAfter(), row.description(),
                row.stripePaymentId(), row.callId(), row.createdBy(), row.createdAt());
    }

    /** {@code available = credits - held}: what new calls may hold. */
    public record Balance(int credits, long held, long available) {
    }

    /** One row of a user's credit history. */
    public record Movement(UUID id, String type, int amount, int balanceAfter, String description,
            String stripePaymentId, UUID callId, UUID createdBy, Instant createdAt) {
    }
}
