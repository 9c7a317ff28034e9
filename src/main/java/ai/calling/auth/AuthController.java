package ai.calling.auth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import ai.calling.auth.AuthDtos.AuthResponse;
import ai.calling.auth.AuthDtos.ForgotPasswordRequest;
import ai.calling.auth.AuthDtos.LoginRequest;
import ai.calling.auth.AuthDtos.ProfileView;
import ai.calling.auth.AuthDtos.RefreshRequest;
import ai.calling.auth.AuthDtos.RegisterRequest;
import ai.calling.auth.AuthDtos.ResetPasswordRequest;
import ai.calling.auth.AuthDtos.VerifyEmailRequest;
import ai.calling.auth.internal.AccountRecoveryService;
import ai.calling.auth.internal.AuthService.ClientInfo;
import ai.calling.auth.internal.AuthService;
import ai.calling.common.CurrentUser;

@RestController
@RequestMapping("/api/auth")
class AuthController {

    private final AuthService auth;
    private final AccountRecoveryService recovery;

    AuthController(AuthService auth, AccountRecoveryService recovery) {
        this.auth = auth;
        this.recovery = recovery;
    }

    @Operation(summary = "Create an account", responses = @ApiResponse(responseCode = "409",
            description = "An account with this e-mail exists"))
    @PostMapping("/register")
    @ResponseStatus(HttpStatus.CREATED)
    AuthResponse register(@Valid @RequestBody RegisterRequest body, HttpServletRequest request) {
        return auth.register(body.email(), body.password(), body.name(), client(request));
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

    /** Always 202, whether or not the account exists: no probing for accounts. */
    @Operation(summary = "Mail a password-reset link")
    @PostMapping("/forgot-password")
    @ResponseStatus(HttpStatus.ACCEPTED)
    void forgotPassword(@Valid @RequestBody ForgotPasswordRequest body, HttpServletRequest request) {
        recovery.requestPasswordReset(body.email(), request.getRemoteAddr());
    }

    @Operation(summary = "Set a new password with a reset token")
    @PostMapping("/reset-password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void resetPassword(@Valid @RequestBody ResetPasswordRequest body) {
        recovery.resetPassword(body.token(), body.newPassword());
    }

    @Operation(summary = "Confirm an e-mail address")
    @PostMapping("/verify-email")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void verifyEmail(@Valid @RequestBody VerifyEmailRequest body) {
        recovery.verifyEmail(body.token());
    }

    static ClientInfo client(HttpServletRequest request) {
        return new ClientInfo(request.getRemoteAddr(), request.getHeader(HttpHeaders.USER_AGENT));
    }
}
