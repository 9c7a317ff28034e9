package ai.calling.auth.internal;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.auth.AuthDtos.AuthResponse;
import ai.calling.auth.UserRegistered;
import ai.calling.billing.CreditLedger;
import ai.calling.common.ApiException;
import ai.calling.config.SystemSettings;

/**
 * Sign-in with Google, GitHub or LinkedIn. The provider must vouch for the e-mail address; an
 * existing account with that address is signed in (linked: its password, if any, keeps working and
 * its auth_provider stays what it was), otherwise an account is created like a registration.
 */
@Service
public class SocialSignInService {

    private final UserAccountRepository users;
    private final AuthService auth;
    private final CreditLedger ledger;
    private final SystemSettings settings;
    private final ApplicationEventPublisher events;

    SocialSignInService(UserAccountRepository users, AuthService auth, CreditLedger ledger, SystemSettings settings,
            ApplicationEventPublisher events) {
        this.users = users;
        this.auth = auth;
        this.ledger = ledger;
        this.settings = settings;
        this.events = events;
    }

    @Transactional
    public AuthResponse signIn(String provider, String rawEmail, boolean emailVerified, String name,
            AuthService.ClientInfo client) {
        if (!emailVerified) {
            throw ApiException.forbidden("The provider did not confirm this e-mail address");
        }
        String email = AuthService.validEmail("email", rawEmail);
        UserAccount user = users.findByEmail(email).orElse(null);
        if (user == null) {
            user = new UserAccount(email, name == null || name.isBlank() ? email : name.trim(), 0);
            user.setAuthProvider(provider);
            user.setEmailVerified(true);
            user = users.saveAndFlush(user);
            int bonus = settings.intValue(SystemSettings.NEW_USER_BONUS_CREDITS, 15);
            if (bonus > 0) {
                user.setCredits(ledger.credit(user.getId(), CreditLedger.BONUS, bonus, "Welcome bonus", null));
            }
            events.publishEvent(new UserRegistered(user.getId(), email, user.getName(), provider));
        } else if (!user.isActive()) {
            throw ApiException.forbidden("This account has been deactivated; contact support");
        } else if (!user.isEmailVerified()) {
            user.setEmailVerified(true);
        }
        return auth.openSession(user, client);
    }
}
