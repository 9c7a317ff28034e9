package ai.calling.auth.internal;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.auth.AuthDtos.AuthResponse;
import ai.calling.common.ApiException;
import ai.calling.common.mail.OutgoingMail;

/**
 * Sign-in with Google, GitHub or LinkedIn. The provider must vouch for the e-mail address; an
 * existing account with that address is signed in (linked: its password, if any, keeps working and
 * its auth_provider stays what it was), otherwise an account is created like a registration.
 */
@Service
public class SocialSignInService {

    private final UserAccountRepository users;
    private final AuthService auth;

    SocialSignInService(UserAccountRepository users, AuthService auth) {
        this.users = users;
        this.auth = auth;
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
            user = auth.createAccount(email, name == null || name.isBlank() ? email : OutgoingMail.singleLine(name), provider, null, true);
        } else if (!user.isActive()) {
            throw ApiException.forbidden("This account has been deactivated; contact support");
        } else if (!user.isEmailVerified()) {
            user.setEmailVerified(true);
        }
        return auth.openSession(user, client);
    }
}
