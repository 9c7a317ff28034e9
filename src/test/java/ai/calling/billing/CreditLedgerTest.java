package ai.calling.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.support.Http;
import ai.calling.support.TestCredits;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/** The ledger under concurrency, duplicates and faults; and its read API. */
@IntegrationTest
@RecordApplicationEvents
class CreditLedgerTest {

    @Autowired
    ApplicationEvents events;

    @LocalServerPort
    int port;

    @Autowired
    CreditLedger ledger;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate transactions;

    Http http;
    SignedIn user;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        user = TestUsers.register(http);
    }

    @Test
    void twoHundredConcurrentMovementsKeepTheInvariant() throws Exception {
        List<UUID> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(call(user.id()));
        }
        List<Callable<Object>> movements = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            movements.add(switch (n % 4) {
                case 0 -> () -> ledger.purchase(user.id(), 10, "pi_concurrent_" + n, "purchase");
                case 1 -> () -> ledger.debitUsage(user.id(), calls.get(n / 4), 3, "usage");
                case 2 -> () -> ledger.adjust(user.id(), 2, "bonus", null);
                default -> () -> ledger.refund(user.id(), 1, "re_concurrent_" + n, "refund");
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            for (Future<Object> done : pool.invokeAll(movements)) {
                done.get();
            }
        } finally {
            pool.shutdown();
        }

        // 50 purchases of 10, 50 usage debits of 3 on distinct calls, 50 adjustments of 2, 50 refunds of 1
        assertThat(jdbc.queryForObject("SELECT count(*) FROM credit_transactions WHERE user_id = ? AND type = 'usage'",
                Long.class, user.id())).isEqualTo(50);
        assertThat(ledger.balance(user.id())).isEqualTo(15 + 500 - 150 + 100 - 50);
        LedgerInvariants.assertHold(jdbc, user.id());
    }

    @Test
    void aSecondUsageDebitForTheSameCallReturnsTheFirst() {
        UUID call = call(user.id());

        CreditLedger.Movement first = ledger.debitUsage(user.id(), call, 4, "usage");
        CreditLedger.Movement again = ledger.debitUsage(user.id(), call, 9, "usage");

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(ledger.balance(user.id())).isEqualTo(11);
        LedgerInvariants.assertHold(jdbc, user.id());
    }

    @Test
    void usageMayGoBelowZero() {
        ledger.debitUsage(user.id(), call(user.id()), 20, "long call");

        assertThat(ledger.balance(user.id())).isEqualTo(-5);
        LedgerInvariants.assertHold(jdbc, user.id());
    }

    @Test
    void theDatabaseRefusesToRewriteHistory() {
        assertThatThrownBy(() -> jdbc.update("UPDATE credit_transactions SET amount = 1000 WHERE user_id = ?", user.id()))
                .isInstanceOf(DataAccessException.class).hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("DELETE FROM credit_transactions WHERE user_id = ?", user.id()))
                .isInstanceOf(DataAccessException.class).hasMessageContaining("append-only");
        UUID call = call(user.id());
        ledger.debitUsage(user.id(), call, 1, "usage");
        assertThatThrownBy(() -> jdbc.update("INSERT INTO credit_transactions (user_id, type, amount, balance_after, "
                + "description, call_id) VALUES (?, 'usage', -1, 13, 'x', ?)", user.id(), call))
                .isInstanceOf(DataAccessException.class).hasMessageContaining("credit_transactions_usage_call_unique");
    }

    /**
     * The balance read while calls end: each read shows the account before a call's settlement or after it, never
     * the balance from before beside the holds from after (read in two statements, a call ending between them
     * showed its hold gone and its cost not yet taken: more available than the account ever had).
     */
    @Test
    void theBalanceIsReadAsOneStateWhileCallsEnd() throws Exception {
        jdbc.update("UPDATE users SET max_concurrent_calls = 100 WHERE id = ?", user.id());
        TestCredits.setBalance(jdbc, user.id(), 100_000);
        List<String> torn = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService readers = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < 40 && torn.isEmpty(); round++) {
                UUID call = call(user.id());
                transactions.executeWithoutResult(status -> ledger.hold(user.id(), List.of(call),
                        ledger.holdQuota(user.id(), 60, 1)));
                CreditLedger.Balance before = ledger.balanceOf(user.id());
                long amount = before.held();
                AtomicBoolean settled = new AtomicBoolean();
                List<Future<?>> reads = new ArrayList<>();
                for (int r = 0; r < 2; r++) {
                    reads.add(readers.submit(() -> {
                        while (!settled.get()) {
                            CreditLedger.Balance seen = ledger.balanceOf(user.id());
                            boolean asBefore = seen.credits() == before.credits() && seen.held() == amount;
                            boolean asAfter = seen.credits() == before.credits() - 3 && seen.held() == 0;
                            if (!asBefore && !asAfter) {
                                torn.add(seen + " between " + before + " and its call's settlement");
                            }
                        }
                    }));
                }
                Thread.sleep(5);
                transactions.executeWithoutResult(status -> ledger.settle(user.id(), call, 3, "usage"));
                Thread.sleep(5);
                settled.set(true);
                for (Future<?> read : reads) {
                    read.get();
                }
            }
        }

        assertThat(torn).isEmpty();
        LedgerInvariants.assertHold(jdbc, user.id());
    }

    /**
     * A Stripe key given again with the same terms is a redelivery (nothing moves); with another amount or for
     * another account it is a second fact under one key, refused loudly: taken for a redelivery, its credits
     * were silently not moved.
     */
    @Test
    void aStripeKeyRepeatedWithOtherTermsIsRefusedAndMovesNothing() {
        String key = "ch_repeated_" + UUID.randomUUID();
        SignedIn other = TestUsers.register(http);
        ledger.purchase(user.id(), 100, key, "purchase");
        ledger.refund(user.id(), 40, key + ":evt_1", "refund");

        assertThat(ledger.purchase(user.id(), 100, key, "purchase again").amount()).isEqualTo(100);
        assertThat(ledger.refund(user.id(), 40, key + ":evt_1", "refund again").amount()).isEqualTo(-40);
        assertThatThrownBy(() -> ledger.refund(user.id(), 30, key + ":evt_1", "another refund"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(key);
        assertThatThrownBy(() -> ledger.refundReversed(user.id(), 40, key + ":evt_1", "given back"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ledger.purchase(user.id(), 200, key, "purchase of another package"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ledger.purchase(other.id(), 100, key, "another account's purchase"))
                .isInstanceOf(IllegalStateException.class);

        assertThat(ledger.balance(user.id())).isEqualTo(15 + 100 - 40);
        assertThat(ledger.balance(other.id())).isEqualTo(15);
        LedgerInvariants.assertHold(jdbc, user.id());
        LedgerInvariants.assertHold(jdbc, other.id());
    }

    @Test
    void aFailureAfterTheLedgerInsertRollsTheWholeMovementBack() {
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            ledger.purchase(user.id(), 100, "pi_rolled_back", "purchase");
            throw new IllegalStateException("injected failure after the insert");
        })).hasMessageContaining("injected");

        assertThat(ledger.balance(user.id())).isEqualTo(15);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM credit_transactions WHERE stripe_payment_id = 'pi_rolled_back'",
                Long.class)).isZero();
        LedgerInvariants.assertHold(jdbc, user.id());
    }

    @Test
    void balanceHistoryFiltersAndExportOverHttp() {
        ledger.purchase(user.id(), 100, "pi_history_" + UUID.randomUUID(), "purchase");
        ledger.debitUsage(user.id(), call(user.id()), 3, "usage of a call");

        assertThat(http.get("/api/credits/balance", user.auth()).json().path("credits").asInt()).isEqualTo(112);
        Http.Response all = http.get("/api/credits/transactions", user.auth());
        assertThat(all.json().path("totalItems").asLong()).isEqualTo(3);
        assertThat(all.json().path("items").path(0).path("type").asString()).isEqualTo("usage");
        assertThat(all.json().path("items").path(0).path("balanceAfter").asInt()).isEqualTo(112);
        assertThat(http.get("/api/credits/transactions?type=purchase", user.auth()).json().path("totalItems").asLong())
                .isOne();
        assertThat(http.get("/api/credits/transactions?from=2999-01-01T00:00:00Z", user.auth()).json().path("totalItems")
                .asLong()).isZero();
        assertThat(http.get("/api/credits/transactions?type=gift", user.auth()).status()).isEqualTo(400);
        Http.Response csv = http.get("/api/credits/transactions/export?type=usage", user.auth());
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.body().lines().toList()).hasSize(2);
        assertThat(csv.body()).contains("usage,-3,112,usage of a call");
    }

    @Test
    void adminAdjustmentsAreAuditedAndCannotGoBelowZero() {
        SignedIn admin = TestUsers.register(http);
        jdbc.update("UPDATE users SET role = 'admin' WHERE id = ?", admin.id());

        Http.Response added = http.post("/api/admin/users/" + user.id() + "/credits",
                Map.of("amount", 25, "reason", "goodwill"), admin.auth());
        assertThat(added.status()).isEqualTo(201);
        assertThat(added.json().path("balanceAfter").asInt()).isEqualTo(40);
        assertThat(added.json().path("createdBy").asString()).isEqualTo(admin.id().toString());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM admin_audit_log WHERE target_user_id = ? "
                + "AND action = 'credits.adjusted'", Long.class, user.id())).isOne();

        Http.Response tooMuch = http.post("/api/admin/users/" + user.id() + "/credits",
                Map.of("amount", -41, "reason", "oops"), admin.auth());
        assertThat(tooMuch.status()).isEqualTo(409);
        assertThat(http.post("/api/admin/users/" + user.id() + "/credits", Map.of("amount", 5), admin.auth()).status())
                .isEqualTo(400);
        for (Object amount : List.of(0, 2.5, "ten")) {
            assertThat(http.post("/api/admin/users/" + user.id() + "/credits", Map.of("amount", amount, "reason", "x"),
                    admin.auth()).status()).as("amount %s", amount).isEqualTo(400);
        }
        assertThat(http.post("/api/admin/users/" + user.id() + "/credits", Map.of("amount", 5, "reason", "x"), user.auth())
                .status()).isEqualTo(403);
        assertThat(ledger.balance(user.id())).isEqualTo(40);
        assertThat(http.get("/api/admin/users/" + user.id() + "/transactions", admin.auth()).json().path("totalItems")
                .asLong()).isEqualTo(2);
        LedgerInvariants.assertHold(jdbc, user.id());
    }

    @Test
    void holdsThatTakeTheAvailableCreditsBelowTheThresholdAreCreditsLowOnce() {
        int threshold = jdbc.queryForObject("SELECT config_value::int FROM system_config "
                + "WHERE config_key = 'low_credit_threshold'", Integer.class);
        jdbc.update("UPDATE users SET max_concurrent_calls = 100 WHERE id = ?", user.id());
        List<UUID> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(call(user.id()));
        }
        HoldQuota first = transactions.execute(status -> {
            HoldQuota quota = ledger.holdQuota(user.id(), 60, 3);
            ledger.hold(user.id(), calls.subList(0, 3), quota);
            return quota;
        });
        long amount = first.terms().amount();
        assertThat(amount).isPositive();
        // the next three holds take the available credits from the threshold to below it
        int balance = (int) (threshold + 3 * amount + 3 * amount - 1);
        TestCredits.setBalance(jdbc, user.id(), balance);
        assertThat(events.stream(CreditsLow.class)).isEmpty();

        transactions.executeWithoutResult(status -> ledger.hold(user.id(), calls.subList(3, 6),
                ledger.holdQuota(user.id(), 60, 3)));

        assertThat(events.stream(CreditsLow.class).toList()).singleElement().satisfies(low -> {
            assertThat(low.userId()).isEqualTo(user.id());
            assertThat(low.credits()).isEqualTo(balance);
            assertThat(low.held()).isEqualTo(6 * amount);
            assertThat(low.available()).isEqualTo(threshold - 1);
            assertThat(low.threshold()).isEqualTo(threshold);
        });

        // holds released (the calls ended at no cost) and taken again by the next calls: the same fall, not told
        // again (each return above the threshold told it again: a campaign's calls sent one event after another)
        transactions.executeWithoutResult(status -> ledger.settleAll(calls.subList(3, 6).stream()
                .map(call -> new CreditLedger.Settlement(user.id(), call, 0, "no answer")).toList()));
        List<UUID> next = List.of(call(user.id()), call(user.id()), call(user.id()));
        transactions.executeWithoutResult(status -> ledger.hold(user.id(), next, ledger.holdQuota(user.id(), 60, 3)));
        assertThat(events.stream(CreditsLow.class)).hasSize(1);

        // credited back above the threshold: the next fall below it is told
        ledger.purchase(user.id(), 100, "pi_" + UUID.randomUUID(), "Top-up");
        transactions.executeWithoutResult(status -> ledger.settleAll(next.stream()
                .map(call -> new CreditLedger.Settlement(user.id(), call, 0, "no answer")).toList()));
        TestCredits.setBalance(jdbc, user.id(), balance);
        List<UUID> last = List.of(call(user.id()), call(user.id()), call(user.id()));
        transactions.executeWithoutResult(status -> ledger.hold(user.id(), last, ledger.holdQuota(user.id(), 60, 3)));
        assertThat(events.stream(CreditsLow.class)).hasSize(2);
    }

    @Test
    void settlingABatchOfCallsReleasesTheirHoldsAndDebitsEachCostOnceInAChain() {
        SignedIn other = TestUsers.register(http);
        TestCredits.setBalance(jdbc, user.id(), 1000);
        TestCredits.setBalance(jdbc, other.id(), 500);
        List<UUID> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(call(user.id()));
        }
        UUID othersCall = call(other.id());
        transactions.executeWithoutResult(status -> {
            ledger.hold(user.id(), calls, ledger.holdQuota(user.id(), 60, 4));
            ledger.hold(other.id(), List.of(othersCall), ledger.holdQuota(other.id(), 60, 1));
        });
        // the last call was debited before (a second debit for a call returns the first)
        ledger.debitUsage(user.id(), calls.get(3), 7, "usage");

        transactions.executeWithoutResult(status -> ledger.settleAll(List.of(
                new CreditLedger.Settlement(user.id(), calls.get(0), 5, "first"),
                new CreditLedger.Settlement(user.id(), calls.get(1), 0, "unanswered"),
                new CreditLedger.Settlement(other.id(), othersCall, 4, "other's"),
                new CreditLedger.Settlement(user.id(), calls.get(2), 3, "third"),
                new CreditLedger.Settlement(user.id(), calls.get(3), 7, "again"))));

        assertThat(ledger.balanceOf(user.id())).isEqualTo(new CreditLedger.Balance(1000 - 7 - 5 - 3, 0, 1000 - 15));
        assertThat(ledger.balanceOf(other.id())).isEqualTo(new CreditLedger.Balance(496, 0, 496));
        assertThat(jdbc.queryForList("SELECT description || ':' || amount || ':' || balance_after FROM credit_transactions "
                + "WHERE user_id = ? AND type = 'usage' ORDER BY seq", String.class, user.id()))
                .containsExactly("usage:-7:993", "first:-5:988", "third:-3:985");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM credit_holds WHERE user_id IN (?, ?)", Long.class,
                user.id(), other.id())).isZero();
    }

    private UUID call(UUID userId) {
        UUID agent = UUID.randomUUID();
        jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, ?, 'A')", agent, userId,
                "bolna-" + agent);
        UUID call = UUID.randomUUID();
        jdbc.update("INSERT INTO calls (id, user_id, agent_id, bolna_execution_id, phone_number) "
                + "VALUES (?, ?, ?, ?, '+14155550100')", call, userId, agent, "exec-" + call);
        return call;
    }
}
