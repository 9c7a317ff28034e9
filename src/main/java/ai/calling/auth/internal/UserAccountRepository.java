package ai.calling.auth.internal;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface UserAccountRepository extends JpaRepository<UserAccount, UUID> {

    Optional<UserAccount> findByEmail(String email);

    /** {@code term} is a lower-case LIKE pattern matched against e-mail and name. */
    @Query("select u from UserAccount u where u.email like :term or lower(u.name) like :term")
    Page<UserAccount> search(String term, Pageable page);

    @Query("select count(u) from UserAccount u where u.role = :role and u.isActive = true")
    long countActiveWithRole(String role);
}
