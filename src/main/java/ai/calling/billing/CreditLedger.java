package ai.calling.billing;

import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.billing.internal.CreditLedgerRepository;

/**
 * The only way credits move. Each movement changes {@code users.credits} with one atomic UPDATE
 * and appends a credit_transactions row carrying the balance it left, in the caller's transaction.
 */
@Service
public class CreditLedger {

    public static final String BONUS = "bonus";

    private final CreditLedgerRepository repository;

    CreditLedger(CreditLedgerRepository repository) {
        this.repository = repository;
    }

    /** Adds credits (a sign-up bonus, an admin adjustment, ...); returns the new balance. */
    @Transactional(propagation = Propagation.MANDATORY)
    public int credit(UUID userId, String type, int amount, String description, UUID createdBy) {
        if (amount <= 0) {
            throw new IllegalArgumentException("a credit must be positive, got " + amount);
        }
        int balance = repository.addToBalance(userId, amount);
        repository.append(userId, type, amount, balance, description, null, null, createdBy);
        return balance;
    }
}
