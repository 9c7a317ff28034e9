package ai.calling.contact.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.persistence.criteria.Predicate;

import org.springframework.data.jpa.domain.Specification;

import ai.calling.contact.ContactDtos.ContactFilter;

/** The list and export filter as a JPA query, always within one tenant. */
public final class ContactSpecifications {

    private ContactSpecifications() {
    }

    public static Specification<Contact> of(UUID userId, ContactFilter filter) {
        return (root, query, cb) -> {
            List<Predicate> predicates = new ArrayList<>();
            predicates.add(cb.equal(root.get("userId"), userId));
            if (filter.search() != null && !filter.search().isBlank()) {
                String like = "%" + escape(filter.search().trim().toLowerCase(Locale.ROOT)) + "%";
                predicates.add(cb.or(
                        cb.like(cb.lower(cb.coalesce(root.get("name"), "")), like, '\\'),
                        cb.like(root.get("phoneNumber"), like, '\\'),
                        cb.like(cb.lower(cb.coalesce(root.get("email"), "")), like, '\\'),
                        cb.like(cb.lower(cb.coalesce(root.get("company"), "")), like, '\\')));
            }
            if (filter.isCustomer() != null) {
                predicates.add(cb.equal(root.get("isCustomer"), filter.isCustomer()));
            }
            if (filter.autoCreated() != null) {
                predicates.add(cb.equal(root.get("isAutoCreated"), filter.autoCreated()));
            }
            if (Boolean.TRUE.equals(filter.notConnected())) {
                predicates.add(cb.greaterThan(root.get("notConnected"), 0));
            } else if (Boolean.FALSE.equals(filter.notConnected())) {
                predicates.add(cb.equal(root.get("notConnected"), 0));
            }
            return cb.and(predicates.toArray(Predicate[]::new));
        };
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
