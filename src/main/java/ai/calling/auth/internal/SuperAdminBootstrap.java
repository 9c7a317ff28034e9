package ai.calling.auth.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.common.CurrentUser;
import ai.calling.config.SecurityProperties;

/** Creates the first super_admin from ADMIN_EMAIL / ADMIN_PASSWORD when no user has that e-mail. */
@Component
public class SuperAdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(SuperAdminBootstrap.class);

    private final SecurityProperties properties;
    private final UserAccountRepository users;
    private final PasswordEncoder passwordEncoder;

    SuperAdminBootstrap(SecurityProperties properties, UserAccountRepository users, PasswordEncoder passwordEncoder) {
        this.properties = properties;
        this.users = users;
        this.passwordEncoder = passwordEncoder;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (properties.adminBootstrapConfigured()) {
            ensureSuperAdmin(properties.adminEmail(), properties.adminPassword());
        }
    }

    /** Idempotent: returns true when it created the account, false when one already had the e-mail. */
    @Transactional
    public boolean ensureSuperAdmin(String rawEmail, String password) {
        String email = AuthService.validEmail("ADMIN_EMAIL", rawEmail);
        if (users.findByEmail(email).isPresent()) {
            log.info("Super admin bootstrap: an account with {} exists already; left unchanged", email);
            return false;
        }
        UserAccount admin = new UserAccount(email, "Administrator", 0);
        admin.setRole(CurrentUser.SUPER_ADMIN);
        admin.setEmailVerified(true);
        admin.setPasswordHash(passwordEncoder.encode(password));
        users.save(admin);
        log.info("Super admin bootstrap: created {}", email);
        return true;
    }
}
