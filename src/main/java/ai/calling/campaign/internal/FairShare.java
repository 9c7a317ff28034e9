package ai.calling.campaign.internal;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.UUID;

/**
 * Max-min fair sharing of the platform's free call slots between tenants that want them: each free
 * slot goes to the tenant with the fewest calls in progress (slots in use plus slots given this
 * round) among those that still want one, ties broken by the order given (least recently served
 * first). With equal demand every tenant ends with an equal share; a tenant that wants less than its
 * share leaves the rest to the others; a big tenant never starves a small one.
 */
public final class FairShare {

    private FairShare() {
    }

    /**
     * @param free   slots free now
     * @param inUse  slots each tenant has in use (tenants absent: none)
     * @param demand new dials each tenant could start now, in round-robin order
     * @return new dials each tenant may start this round (tenants with none are absent)
     */
    public static Map<UUID, Integer> allocate(int free, Map<UUID, Integer> inUse, LinkedHashMap<UUID, Integer> demand) {
        Map<UUID, Integer> position = new HashMap<>();
        demand.keySet().forEach(tenant -> position.put(tenant, position.size()));
        Map<UUID, Integer> given = new LinkedHashMap<>();
        PriorityQueue<UUID> next = new PriorityQueue<>(Comparator
                .<UUID>comparingInt(tenant -> inUse.getOrDefault(tenant, 0) + given.getOrDefault(tenant, 0))
                .thenComparingInt(position::get));
        demand.forEach((tenant, wanted) -> {
            if (wanted > 0) {
                next.add(tenant);
            }
        });
        for (int slot = 0; slot < free && !next.isEmpty(); slot++) {
            UUID tenant = next.poll();
            int now = given.merge(tenant, 1, Integer::sum);
            if (now < demand.get(tenant)) {
                next.add(tenant);
            }
        }
        return given;
    }
}
