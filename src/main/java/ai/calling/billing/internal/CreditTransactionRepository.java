package ai.calling.billing.internal;

import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

public interface CreditTransactionRepository extends JpaRepository<CreditTransaction, UUID> {
}
