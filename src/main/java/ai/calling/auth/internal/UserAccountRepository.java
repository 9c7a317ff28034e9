package ai.calling.auth.internal;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

public interface UserAccountRepository extends JpaRepository<UserAccount, UUID> {

    Optional<UserAccount> findByEmail(String email);

    /** The account, its row locked until the transaction ends (closure and password changes serialise on it). */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select u from UserAccount u where u.id = :id")
    Optional<UserAccount> lockById(UUID id);

    /**
     * The active accounts with this role, their rows locked in id order until the transaction ends: two changes
     * that each leave one fewer (two super_admins demoting each other) run one after the other, and the second
     * sees the first's result (PostgreSQL checks a row's condition again once its lock is granted).
     */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select u from UserAccount u where u.role = :role and u.isActive = true order by u.id")
    List<UserAccount> lockActiveWithRole(String role);
}
