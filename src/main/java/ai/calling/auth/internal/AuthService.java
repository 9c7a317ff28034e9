package ai.calling.auth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import ai.calling.auth.AuthDtos.AuthResponse;
import ai.calling.auth.AuthDtos.ProfileView;
import ai.calling.auth.AuthDtos.UserView;
import ai.calling.auth.internal.MembershipRepository.Placement;
import ai.calling.common.CurrentUser;
import ai.calling.auth.UserRegistered;
import ai.calling.billing.CreditLedger;
import ai.calling.common.ApiException;
import ai.calling.common.TeamRole;
import ai.calling.config.SystemSettings;

/** Sign-up, sign-in, token refresh with rotation, sign-out. */
@Service
public class AuthService {

    private static final String BAD_CREDENTIALS = "The e-mail address or the password is incorrect";
    private static final String BAD_REFRESH = "The refresh token is not valid; sign in again";

    private final UserAccountRepository users;
    private final SessionRepository sessions;
    private final LoginAttemptRepository attempts;
    private final LoginThrottle throttle;
    private final PasswordPolicy passwordPolicy;
    private final PasswordEncoder passwordEncoder;
    private final AccessTokens accessTokens;
    private final CreditLedger ledger;
    private final SystemSettings settings;
    private final ApplicationEventPublisher events;
    private final MembershipRepository memberships;
    private final Clock clock;
    private final String timingDummyHash;

    AuthService(UserAccountRepository users, SessionRepository sessions, LoginAttemptRepository attempts,
            LoginThrottle throttle, PasswordPolicy passwordPolicy, PasswordEncoder passwordEncoder,
            AccessTokens accessTokens, CreditLedger ledger, SystemSettings settings, ApplicationEventPublisher events,
            MembershipRepository memberships, Clock clock) {
        this.memberships = memberships;
        this.users = users;
        this.sessions = sessions;
        this.attempts = attempts;
        this.throttle = throttle;
        this.passwordPolicy = passwordPolicy;
        this.passwordEncoder = passwordEncoder;
        this.accessTokens = accessTokens;
        this.ledger = ledger;
        this.settings = settings;
        this.events = events;
        this.clock = clock;
        this.timingDummyHash = passwordEncoder.encode("timing-equaliser-" + UUID.randomUUID());
    }

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    public static String normaliseEmail(String email) {
        return email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
    }

    /** Normalises and checks an address given for a new account (400 naming {@code field} if unusable). */
    public static String validEmail(String field, String rawEmail) {
        String email = normaliseEmail(rawEmail);
        if (email.length() > 255 || !EMAIL.matcher(email).matches()) {
            throw ApiException.invalidField(field, "must be a valid e-mail address");
        }
        return email;
    }

    @Transactional
    public AuthResponse register(String rawEmail, String password, String rawName, ClientInfo client) {
        String email = validEmail("email", rawEmail);
        String name = rawName.trim();
        passwordPolicy.check("password", password, email);
        if (users.findByEmail(email).isPresent()) {
            throw ApiException.conflict("An account with this e-mail address already exists");
        }
        UserAccount user = createAccount(email, name, "email", passwordEncoder.encode(password), false);
        return openSession(user, client);
    }

    /**
     * A new account (e-mail sign-up or social sign-in) with its welcome bonus as a ledger row, in the
     * caller's transaction; {@link UserRegistered} is published. 409 if the e-mail was taken meanwhile.
     */
    UserAccount createAccount(String email, String name, String provider, String passwordHash, boolean verified) {
        UserAccount user = new UserAccount(email, name, 0);
        user.setPasswordHash(passwordHash);
        user.setAuthProvider(provider);
        user.setEmailVerified(verified);
        try {
            user = users.saveAndFlush(user);
        } catch (DataIntegrityViolationException raceLost) {
            throw ApiException.conflict("An account with this e-mail address already exists");
        }
        int bonus = settings.intValue(SystemSettings.NEW_USER_BONUS_CREDITS, 15);
        if (bonus > 0) {
            user.setCredits(ledger.credit(user.getId(), CreditLedger.BONUS, bonus, "Welcome bonus", null));
        }
        events.publishEvent(new UserRegistered(user.getId(), email, name, provider));
        return user;
    }

    /**
     * The account of someone who accepted an invitation, in the caller's transaction: its e-mail is
     * proven by the invitation's token, it gets no welcome bonus (it spends the workspace's credits)
     * and it joins the workspace with the invited role. 409 if the e-mail was taken meanwhile.
     */
    public AuthResponse createMemberAccount(UUID workspaceId, TeamRole role, UUID invitedBy, String email,
            String rawName, String password, ClientInfo client) {
        passwordPolicy.check("password", password, email);
        if (users.findByEmail(email).isPresent()) {
            throw ApiException.conflict("An account with this e-mail address already exists");
        }
        UserAccount user = new UserAccount(email, rawName.trim(), 0);
        user.setPasswordHash(passwordEncoder.encode(password));
        user.setAuthProvider("email");
        user.setEmailVerified(true);
        try {
            user = users.saveAndFlush(user);
        } catch (DataIntegrityViolationException raceLost) {
            throw ApiException.conflict("An account with this e-mail address already exists");
        }
        memberships.join(user.getId(), workspaceId, role, invitedBy);
        return openSession(user, client);
    }

    /** Not transactional: the attempt rows must stay written when the answer is an error. */
    public AuthResponse login(String rawEmail, String password, ClientInfo client) {
        String email = normaliseEmail(rawEmail);
        throttle.checkNotLocked(email);
        UserAccount user = users.findByEmail(email).orElse(null);
        String hash = user == null || user.getPasswordHash() == null ? timingDummyHash : user.getPasswordHash();
        boolean matches = passwordEncoder.matches(password, hash);
        if (user == null || user.getPasswordHash() == null || !matches) {
            attempts.record(email, client.ip(), false, LoginAttemptRepository.INVALID_CREDENTIALS);
            throw ApiException.unauthorized(BAD_CREDENTIALS);
        }
        if (!user.isActive()) {
            attempts.record(email, client.ip(), false, "account_inactive");
            throw ApiException.forbidden("This account has been deactivated; contact support");
        }
        Optional<Placement> placement = memberships.placement(user.getId());
        if (workspaceInactive(placement)) {
            // a member of a deactivated workspace: every request of theirs would be refused, so is the sign-in
            attempts.record(email, client.ip(), false, "workspace_inactive");
            throw ApiException.forbidden("This workspace has been deactivated; contact support");
        }
        if (!user.isEmailVerified() && settings.flag(SystemSettings.REQUIRE_EMAIL_VERIFICATION, false)) {
            attempts.record(email, client.ip(), false, "email_not_verified");
            throw ApiException.forbidden("Verify your e-mail address first: follow the link we sent you");
        }
        attempts.record(email, client.ip(), true, null);
        return openSession(user, client, orNoWorkspace(placement));
    }

    /**
     * Rotates the pair. A refresh token that was already rotated away is evidence of theft: the
     * whole session ends (and stays ended: no rollback of that revocation).
     */
    @Transactional(noRollbackFor = ApiException.class)
    public AuthResponse refresh(String refreshToken, ClientInfo client) {
        String hash = Tokens.sha256(refreshToken);
        SessionRepository.SessionRow session = sessions.lockByRefreshToken(hash).orElse(null);
        if (session == null) {
            sessions.sessionOfRotatedToken(hash).ifPresent(sessions::revoke);
            throw ApiException.unauthorized(BAD_REFRESH);
        }
        if (!session.active() || !session.refreshExpiresAt().isAfter(clock.instant())) {
            throw ApiException.unauthorized(BAD_REFRESH);
        }
        UserAccount user = users.findById(session.userId()).orElseThrow(() -> ApiException.unauthorized(BAD_REFRESH));
        Optional<Placement> placement = memberships.placement(user.getId());
        if (!user.isActive() || workspaceInactive(placement)) {
            sessions.revoke(session.id());
            throw ApiException.unauthorized(BAD_REFRESH);
        }
        AccessTokens.Issued access = accessTokens.issue(user.getId(), user.getRole(), session.id());
        String newRefresh = Tokens.random();
        sessions.rotate(session.id(), hash, Tokens.sha256(newRefresh), Tokens.sha256(access.tokenId()),
                access.expiresAt());
        return response(access, newRefresh, user, orNoWorkspace(placement));
    }

    public void logout(CurrentUser caller) {
        sessions.revoke(caller.sessionId());
    }

    /** Ends every session of a user (password reset, deactivation). */
    public int endAllSessions(UUID userId) {
        return sessions.revokeAllOf(userId);
    }

    @Transactional(readOnly = true)
    public ProfileView profile(CurrentUser caller) {
        UserAccount user = users.findById(caller.memberId()).orElseThrow(() -> ApiException.notFound("The user"));
        return AccountSelfService.profile(user, placement(user));
    }

    /** Opens a session for a user who has just proven who they are (password or social sign-in). */
    public AuthResponse openSession(UserAccount user, ClientInfo client) {
        return openSession(user, client, placement(user));
    }

    private AuthResponse openSession(UserAccount user, ClientInfo client, Placement placement) {
        if (!placement.workspaceActive()) {
            // social sign-in too: a member of a deactivated workspace gets no tokens that every request would refuse
            throw ApiException.forbidden("This workspace has been deactivated; contact support");
        }
        UUID sessionId = UUID.randomUUID();
        AccessTokens.Issued access = accessTokens.issue(user.getId(), user.getRole(), sessionId);
        String refresh = Tokens.random();
        Duration lifetime = Duration.ofHours(Math.max(1, settings.intValue(SystemSettings.SESSION_DURATION_HOURS, 24)));
        Instant refreshExpiresAt = clock.instant().plus(lifetime);
        sessions.create(sessionId, user.getId(), Tokens.sha256(access.tokenId()), Tokens.sha256(refresh),
                access.expiresAt(), refreshExpiresAt, client.ip(), client.userAgent());
        return response(access, refresh, user, placement);
    }

    private AuthResponse response(AccessTokens.Issued access, String refreshToken, UserAccount user,
            Placement placement) {
        return new AuthResponse(access.token(), refreshToken, "Bearer", accessTokens.ttl().toSeconds(),
                new UserView(user.getId(), user.getEmail(), user.getName(), user.getRole(), placement.credits(),
                        user.isEmailVerified(), placement.workspaceId(), placement.teamRole().wireName()));
    }

    /** Where the account acts; an account without a workspace (removed from its team) cannot sign in. */
    Placement placement(UserAccount user) {
        return orNoWorkspace(memberships.placement(user.getId()));
    }

    private static Placement orNoWorkspace(Optional<Placement> placement) {
        return placement.orElseThrow(() -> ApiException.unauthorized("This account no longer belongs to a workspace"));
    }

    /** Whether the account's workspace was deactivated (an account without one is refused as such). */
    private static boolean workspaceInactive(Optional<Placement> placement) {
        return placement.filter(found -> !found.workspaceActive()).isPresent();
    }

    /** Where a request came from, as recorded with sessions and attempts. */
    public record ClientInfo(String ip, String userAgent) {
    }
}
