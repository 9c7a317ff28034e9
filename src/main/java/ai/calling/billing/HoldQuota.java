package ai.calling.billing;

/**
 * How many dials an account may start now, and what stops more: its cap on calls in progress
 * ({@code cap}, of which {@code open} are taken) or its available credits (its {@code credits} less
 * what its open holds keep, {@code held}; each dial holds {@code terms.amount()}).
 */
public record HoldQuota(HoldTerms terms, int granted, Limit limitedBy, int cap, int open, int credits, long held) {

    /** What new calls may hold: {@code credits - held}. */
    public long available() {
        return credits - held;
    }

    /** What kept the quota below what was wanted. */
    public enum Limit { NONE, ACCOUNT_CAP, CREDITS }

    static HoldQuota of(HoldTerms terms, int wanted, int cap, int open, int credits, long held) {
        long available = credits - held;
        int underCap = Math.max(0, cap - open);
        long affordable = terms.amount() == 0 ? Long.MAX_VALUE : Math.max(0, available) / terms.amount();
        int granted = (int) Math.min(wanted, Math.min(underCap, affordable));
        Limit limit = granted == wanted ? Limit.NONE : underCap <= affordable ? Limit.ACCOUNT_CAP : Limit.CREDITS;
        return new HoldQuota(terms, granted, limit, cap, open, credits, held);
    }
}
