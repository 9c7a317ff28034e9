package ai.calling.auth.internal;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.auth.AuthDtos.AuthResponse;
import ai.calling.common.ApiException;
import ai.calling.common.mail.OutgoingMail;

/**
 * Sign-in with Google, GitHub or LinkedIn. The provider must vouch for the e-mail address; an
 * existing account with that address whose address was confirmed is signed in (linked: its password, if
 * any, keeps working and its auth_provider stays what it was), otherwise an account is created like a
 * registration. An existing account whose address was never confirmed is not linked (409): anyone could
 * have registered it with somebody else's address, and linking signed the address's owner into an account
 * whose registrant kept its password, its sessions, its keys and its webhook endpoints. Its password reset
 * (the mail confirms the address and ends every session) comes first.
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
            throw ApiException.conflict("An account with this e-mail address exists, and its address was never "
                    + "confirmed. Reset its password from the sign-in page (the mail confirms the address), then sign in "
                    + "with " + provider + " again");
        }
        return auth.openSession(user, client);
    }
}
