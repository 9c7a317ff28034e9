package ai.calling.auth;

import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.data.domain.Sort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import ai.calling.auth.AuthDtos.AuthResponse;
import ai.calling.auth.AuthDtos.ChangePasswordRequest;
import ai.calling.auth.AuthDtos.CloseAccountRequest;
import ai.calling.auth.AuthDtos.SessionView;
import ai.calling.auth.AuthDtos.UpdateProfileRequest;
import ai.calling.auth.AuthDtos.ForgotPasswordRequest;
import ai.calling.auth.AuthDtos.LoginRequest;
import ai.calling.auth.AuthDtos.ProfileView;
import ai.calling.auth.AuthDtos.RefreshRequest;
import ai.calling.auth.AuthDtos.RegisterRequest;
import ai.calling.auth.AuthDtos.ResetPasswordRequest;
import ai.calling.auth.AuthDtos.VerifyEmailRequest;
import ai.calling.auth.internal.AccountRecoveryService;
import ai.calling.auth.internal.AccountSelfService;
import ai.calling.auth.internal.AuthService.ClientInfo;
import ai.calling.auth.internal.AuthService;
import ai.calling.common.CurrentUser;
import ai.calling.common.PageParams;
import ai.calling.common.PageResponse;
import ai.calling.common.RequiresTeamRole;
import ai.calling.common.TeamRole;

@RestController
@RequestMapping("/api/auth")
@RequiresTeamRole(TeamRole.VIEWER)
class AuthController {

    private final AuthService auth;
    private final AccountRecoveryService recovery;
    private final AccountSelfService account;

    AuthController(AuthService auth, AccountRecoveryService recovery, AccountSelfService account) {
        this.auth = auth;
        this.recovery = recovery;
        this.account = account;
    }

    @Operation(summary = "Create an account", responses = @ApiResponse(responseCode = "409",
            description = "An account with this e-mail exists"))
    @PostMapping("/register")
    @ResponseStatus(HttpStatus.CREATED)
    AuthResponse register(@Valid @RequestBody RegisterRequest body, HttpServletRequest request) {
        AuthResponse registered = auth.register(body.email(), body.password(), body.name(), client(request));
        // after the registration's transaction has ended: the mail holds no connection
        recovery.mailVerification(registered.user().id(), registered.user().email(), registered.user().name());
        return registered;
    }

    @Operation(summary = "Sign in")
    @PostMapping("/login")
    AuthResponse login(@Valid @RequestBody LoginRequest body, HttpServletRequest request) {
        return auth.login(body.email(), body.password(), client(request));
    }

    @Operation(summary = "Renew the access token")
    @PostMapping("/refresh")
    AuthResponse refresh(@Valid @RequestBody RefreshRequest body, HttpServletRequest request) {
        return auth.refresh(body.refreshToken(), client(request));
    }

    @Operation(summary = "Sign out this session")
    @PostMapping("/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void logout(@AuthenticationPrincipal CurrentUser user) {
        auth.logout(user);
    }

    @Operation(summary = "The signed-in user")
    @GetMapping("/me")
    ProfileView me(@AuthenticationPrincipal CurrentUser user) {
        return auth.profile(user);
    }

    @Operation(summary = "Change your name")
    @PatchMapping("/me")
    ProfileView updateMe(@AuthenticationPrincipal CurrentUser user, @Valid @RequestBody UpdateProfileRequest body) {
        return account.updateProfile(user, body.name());
    }

    @Operation(summary = "Change your password", description = """
            Needs the current password. Every other session is signed out at once (its access and refresh \
            tokens stop working); the session that made the change stays signed in.""")
    @PostMapping("/change-password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void changePassword(@AuthenticationPrincipal CurrentUser user, @Valid @RequestBody ChangePasswordRequest body) {
        account.changePassword(user, body.currentPassword(), body.newPassword());
    }

    @Operation(summary = "List your signed-in sessions")
    @GetMapping("/sessions")
    PageResponse<SessionView> sessions(@AuthenticationPrincipal CurrentUser user,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return account.sessions(user, PageParams.of(page, size, Sort.unsorted()));
    }

    @Operation(summary = "Sign out one of your sessions")
    @DeleteMapping("/sessions/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void endSession(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        account.endSession(user, id);
    }

    @Operation(summary = "Close your account", description = """
            Needs the password. The account can never sign in again; its sessions end, its agents are deleted \
            on Bolna, its campaigns stop; the ledger and the call records stay (without the contacts' names, \
            e-mails, transcripts and recordings). Export your data first (GET /api/auth/me/export).""",
            responses = @ApiResponse(responseCode = "409", description = "The last active super_admin"))
    @RequiresTeamRole(TeamRole.OWNER)
    @DeleteMapping("/me")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void closeAccount(@AuthenticationPrincipal CurrentUser user, @Valid @RequestBody CloseAccountRequest body) {
        account.close(user, body.password());
    }

    /** Always 202, whether or not the account exists: no probing for accounts. */
    @Operation(summary = "Mail a password-reset link")
    @PostMapping("/forgot-password")
    @ResponseStatus(HttpStatus.ACCEPTED)
    void forgotPassword(@Valid @RequestBody ForgotPasswordRequest body, HttpServletRequest request) {
        recovery.requestPasswordReset(body.email(), request.getRemoteAddr());
    }

    @Operation(summary = "Set a new password with a reset token", description = """
            The token comes from the password-reset mail: its link opens the web app's page \
            FRONTEND_BASE_URL/reset-password?token=..., which posts the token and the new password here. \
            Every session of the account ends.""")
    @PostMapping("/reset-password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void resetPassword(@Valid @RequestBody ResetPasswordRequest body) {
        recovery.resetPassword(body.token(), body.newPassword());
    }

    @Operation(summary = "Confirm an e-mail address", description = """
            The token comes from the verification mail: its link opens the web app's page \
            FRONTEND_BASE_URL/verify-email?token=..., which posts the token here.""")
    @PostMapping("/verify-email")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void verifyEmail(@Valid @RequestBody VerifyEmailRequest body) {
        recovery.verifyEmail(body.token());
    }

    static ClientInfo client(HttpServletRequest request) {
        return new ClientInfo(request.getRemoteAddr(), request.getHeader(HttpHeaders.USER_AGENT));
    }
}
