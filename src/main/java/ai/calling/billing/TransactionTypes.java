package ai.calling.billing;

import java.util.Set;

/** The kinds of credit_transactions rows, as clients filter the history by them. */
public final class TransactionTypes {

    public static final Set<String> ALL = Set.of(CreditLedger.PURCHASE, CreditLedger.USAGE, CreditLedger.BONUS,
            CreditLedger.ADMIN_ADJUSTMENT, CreditLedger.REFUND);

    private TransactionTypes() {
    }
}
