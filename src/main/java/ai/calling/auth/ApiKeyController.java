package ai.calling.auth;

import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import ai.calling.auth.ApiKeys.ApiKeyView;
import ai.calling.auth.ApiKeys.CreatedApiKey;
import ai.calling.common.CurrentUser;
import ai.calling.common.PageParams;
import ai.calling.common.PageResponse;
import ai.calling.common.RequiresTeamRole;
import ai.calling.common.TeamRole;

/** The caller's API keys; managed with a signed-in session only (an API key is refused here, 403). */
@RestController
@RequestMapping("/api/api-keys")
@RequiresTeamRole(TeamRole.ADMIN)
class ApiKeyController {

    private final ApiKeys keys;

    ApiKeyController(ApiKeys keys) {
        this.keys = keys;
    }

    @Operation(summary = "Create an API key (its secret is shown only in this answer)")
    @ApiResponse(responseCode = "409", description = "The account already holds the most keys allowed")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    CreatedApiKey create(@AuthenticationPrincipal CurrentUser user, @Valid @RequestBody NewApiKey body) {
        return keys.create(user.id(), user.memberId(), body.name());
    }

    @Operation(summary = "List your API keys (by prefix)")
    @GetMapping
    PageResponse<ApiKeyView> list(@AuthenticationPrincipal CurrentUser user,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return keys.list(user.id(), PageParams.of(page, size, Sort.unsorted()));
    }

    @Operation(summary = "Revoke an API key (the next request with it is refused)")
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@AuthenticationPrincipal CurrentUser user, @PathVariable UUID id) {
        keys.revoke(user.id(), id);
    }

    record NewApiKey(@NotBlank @Size(max = 100) String name) {
    }
}
