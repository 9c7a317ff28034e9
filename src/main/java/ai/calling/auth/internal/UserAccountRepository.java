package ai.calling.auth.internal;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface UserAccountRepository extends JpaRepository<UserAccount, UUID> {

    Optional<UserAccount> findByEmail(String email);

    @Query("select count(u) from UserAccount u where u.role = :role and u.isActive = true")
    long countActiveWithRole(String role);
}
